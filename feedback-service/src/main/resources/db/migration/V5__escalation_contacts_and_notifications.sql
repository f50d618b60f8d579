-- Who the manager of a team is, for the escalation of a missing reason: managed by RevOps admins. The CRM owner
-- ids let the escalation create a CRM task for the manager; the webhook URL overrides the service-wide one.
CREATE TABLE escalation_contact (
  team_name           text PRIMARY KEY,
  manager_name        text        NOT NULL,
  manager_email       text,
  hubspot_owner_id    text,
  salesforce_owner_id text,
  webhook_url         text,
  updated_by          text        NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A message to a person, written in the transaction of the fact it reports (the escalation) and delivered by the
-- NotificationDispatcher with retries. SKIPPED: no webhook configured when it was written (kept so it is visible).
CREATE TABLE notification (
  id                  uuid PRIMARY KEY,
  kind                text        NOT NULL CHECK (kind IN ('reason-overdue')),
  disqualification_id uuid REFERENCES disqualification (id),
  lead_id             uuid,
  team_name           text,
  recipient           text,
  channel             text        NOT NULL,
  target              text        NOT NULL CHECK (target IN ('team', 'default', 'none')),
  payload             jsonb       NOT NULL,
  state               text        NOT NULL CHECK (state IN ('PENDING', 'SENT', 'FAILED', 'SKIPPED')),
  attempts            integer     NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz
);

-- one escalation notification per disqualification, however often the timer fires
CREATE UNIQUE INDEX notification_once_uk ON notification (kind, disqualification_id);
CREATE INDEX notification_due_idx ON notification (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX notification_list_idx ON notification (created_at DESC, id DESC);
