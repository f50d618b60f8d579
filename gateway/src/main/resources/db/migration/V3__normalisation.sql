-- Normalisation bookkeeping: retries of webhook events whose enrichment failed, the last known state of every CRM
-- object (so that events are derived by comparing states, which makes repeated and out-of-order deliveries
-- harmless), and one identity per person (email) and per company (domain) across both CRMs.
ALTER TABLE webhook_event
  ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN lease_until     timestamptz,
  ADD COLUMN last_error      text;

DROP INDEX webhook_event_pending_idx;
CREATE INDEX webhook_event_pending_idx ON webhook_event (next_attempt_at) WHERE status = 'PENDING';

CREATE TABLE crm_object_state (
  crm          text        NOT NULL,
  object_type  text        NOT NULL,
  object_id    text        NOT NULL,
  -- our identity of the person (contacts, leads) or company (companies, accounts), or the deal id
  entity_id    uuid        NOT NULL,
  snapshot     jsonb       NOT NULL,
  -- the CRM's last-modified time of the snapshot; an older read never overwrites a newer one
  modified_at  timestamptz,
  deleted      boolean     NOT NULL DEFAULT false,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (crm, object_type, object_id)
);

CREATE TABLE person_identity (
  email      text PRIMARY KEY,
  lead_id    uuid        NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_identity (
  domain     text PRIMARY KEY,
  account_id uuid        NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
