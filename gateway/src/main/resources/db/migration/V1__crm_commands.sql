-- Commands from the services to the CRMs, recorded durably the moment they arrive. The command id is the envelope
-- id, so a command delivered twice is recorded (and later applied) once.
CREATE TABLE crm_command (
  id           uuid PRIMARY KEY,
  command_type text        NOT NULL,
  issued_by    text        NOT NULL,
  subject      text,
  payload      jsonb       NOT NULL,
  status       text        NOT NULL DEFAULT 'RECEIVED',
  received_at  timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  outcome      text,
  CONSTRAINT crm_command_status_ck CHECK (status IN ('RECEIVED', 'SUCCEEDED', 'FAILED'))
);

CREATE INDEX crm_command_status_idx ON crm_command (status, received_at);
