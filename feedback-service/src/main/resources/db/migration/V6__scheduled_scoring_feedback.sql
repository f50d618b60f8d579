-- Scheduled jobs that must run once per period across replicas: the replica that locks the row (FOR UPDATE SKIP
-- LOCKED) and finds the period not yet done runs the job in the same transaction and records the period.
CREATE TABLE scheduled_job (
  name              text PRIMARY KEY,
  last_period_start timestamptz,
  last_started_at   timestamptz,
  last_finished_at  timestamptz,
  last_replica      text,
  last_result       text
);
INSERT INTO scheduled_job (name) VALUES ('scoring-feedback');

-- What was last published as scoring.feedback per dimension: a digest of its content, so a scheduled publication
-- skips dimensions whose content did not change.
CREATE TABLE scoring_publication (
  dimension    text PRIMARY KEY,
  content_hash text        NOT NULL,
  period_from  timestamptz NOT NULL,
  period_to    timestamptz NOT NULL,
  published_at timestamptz NOT NULL
);

-- The score adjustment last written to each CRM record (record.fields.set): only changes are written again, and a
-- record whose adjustment went back to zero gets one cleanup command (0) and leaves this table.
CREATE TABLE crm_score_written (
  crm        text        NOT NULL,
  crm_id     text        NOT NULL,
  points     integer     NOT NULL,
  written_at timestamptz NOT NULL,
  PRIMARY KEY (crm, crm_id)
);
