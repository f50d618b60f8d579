-- Backfill and incremental sync runs per CRM and object. A run's cursor (timestamp, id) moves after every page that
-- was stored, so a stopped run resumes where it was; its upper bound is frozen when it starts.
CREATE TABLE sync_job (
  id              uuid PRIMARY KEY,
  crm             text        NOT NULL,
  object_type     text        NOT NULL,
  mode            text        NOT NULL,
  status          text        NOT NULL,
  cursor_since    timestamptz NOT NULL,
  cursor_id       text,
  until           timestamptz NOT NULL,
  estimated_total bigint,
  done            bigint      NOT NULL DEFAULT 0,
  started_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  resume_at       timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_error      text,
  CONSTRAINT sync_job_status_ck CHECK (status IN ('RUNNING', 'PAUSED', 'DONE', 'FAILED')),
  CONSTRAINT sync_job_mode_ck CHECK (mode IN ('full', 'incremental'))
);

-- at most one active run per CRM and object
CREATE UNIQUE INDEX sync_job_active_uk ON sync_job (crm, object_type) WHERE status IN ('RUNNING', 'PAUSED');
CREATE INDEX sync_job_due_idx ON sync_job (resume_at) WHERE status IN ('RUNNING', 'PAUSED');
