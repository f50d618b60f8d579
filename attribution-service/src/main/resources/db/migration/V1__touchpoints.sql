-- Marketing and sales touchpoints, as recorded by the gateway from the CRMs; the raw material of attribution.
CREATE TABLE touchpoint (
  id             uuid PRIMARY KEY,
  crm            text        NOT NULL,
  person_email   text,
  crm_person_id  text,
  account_domain text,
  occurred_at    timestamptz NOT NULL,
  touch_type     text        NOT NULL,
  channel        text,
  source         text,
  campaign       text,
  team           text,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX touchpoint_person_idx ON touchpoint (person_email, occurred_at);
CREATE INDEX touchpoint_account_idx ON touchpoint (account_domain, occurred_at);
CREATE INDEX touchpoint_occurred_idx ON touchpoint (occurred_at DESC, id);
