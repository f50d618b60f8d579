-- CRM records that are gone (deleted, or merged into another record): no command is ever sent for them again.
CREATE TABLE crm_record_gone (
  crm                text        NOT NULL,
  crm_id             text        NOT NULL,
  reason             text        NOT NULL CHECK (reason IN ('deleted', 'merged')),
  lead_id            uuid,
  merged_into_crm_id text,
  gone_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (crm, crm_id)
);

-- A merged-away lead leaves the cohorts (its records now belong to the survivor); a deleted one stays in the
-- statistics but gets no more CRM writes.
ALTER TABLE lead_context
  ADD COLUMN crm_deleted_at timestamptz,
  ADD COLUMN merged_into    uuid;

-- MERGED: a duplicate of the surviving lead's disqualification after a merge (the more informative one stays).
ALTER TABLE disqualification DROP CONSTRAINT disqualification_state_check;
ALTER TABLE disqualification ADD CONSTRAINT disqualification_state_check
  CHECK (state IN ('ACTIVE', 'RECYCLED', 'REQUALIFIED', 'REOPENED', 'MERGED'));
ALTER TABLE disqualification
  ADD COLUMN crm_deleted_at      timestamptz,
  ADD COLUMN merged_from_lead_id uuid,
  ADD COLUMN superseded_by       uuid;

-- What each merge did to feedback's records, for the record.
CREATE TABLE lead_merge_audit (
  id                  uuid PRIMARY KEY,
  crm                 text        NOT NULL,
  survivor_lead_id    uuid        NOT NULL,
  survivor_crm_id     text        NOT NULL,
  merged_lead_id      uuid        NOT NULL,
  disqualification_id uuid        NOT NULL,
  action              text        NOT NULL CHECK (action IN ('MOVED', 'KEPT', 'SUPERSEDED', 'DISPUTE_MOVED')),
  detail              text,
  at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_merge_audit_survivor_idx ON lead_merge_audit (survivor_lead_id, at);
