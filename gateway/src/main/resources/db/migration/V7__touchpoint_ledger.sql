-- Touchpoints published so far. A touchpoint's id is derived from what it is about (a contact's conversion, a
-- campaign member, an activity), so a replayed or repeated delivery derives the same id: inserting it here in the
-- same transaction as the outbox row is what makes touchpoint.recorded go out once per touchpoint.
CREATE TABLE touchpoint_ledger (
  touchpoint_id uuid PRIMARY KEY,
  crm           text        NOT NULL,
  touch_type    text        NOT NULL,
  crm_person_id text,
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX touchpoint_ledger_person_idx ON touchpoint_ledger (crm, crm_person_id, occurred_at);
