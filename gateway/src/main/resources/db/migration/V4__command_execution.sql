-- Command execution: retries with back-off for transient CRM failures, leases so that several replicas share the
-- work, and the recorded outcome that makes a command id apply at most once. FAILED commands are the dead-letter
-- store: listed, inspected and replayed by revops-admin.
ALTER TABLE crm_command
  ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN lease_until     timestamptz,
  ADD COLUMN last_error      text,
  ADD COLUMN crm_result      jsonb;

CREATE INDEX crm_command_due_idx ON crm_command (next_attempt_at) WHERE status = 'RECEIVED';
CREATE INDEX crm_command_failed_idx ON crm_command (completed_at DESC) WHERE status = 'FAILED';
