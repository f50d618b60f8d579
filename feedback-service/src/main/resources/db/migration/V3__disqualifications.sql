-- One row per disqualification of a lead, with the context joined at capture (a snapshot: later changes to the
-- lead do not rewrite what marketing saw when sales rejected it). At most one ACTIVE disqualification per lead;
-- a recycled, re-qualified or re-opened one is kept as history.
CREATE TABLE disqualification (
  id                  uuid PRIMARY KEY,
  lead_id             uuid        NOT NULL,
  crm                 text,
  crm_id              text,
  crm_status          text,
  state               text        NOT NULL CHECK (state IN ('ACTIVE', 'RECYCLED', 'REQUALIFIED', 'REOPENED')),
  reason_state        text        NOT NULL CHECK (reason_state IN ('PROVIDED', 'MISSING')),
  reason_was_missing  boolean     NOT NULL DEFAULT false,
  reason_code         text REFERENCES reason_code (code),
  reason_category     text,
  reason_raw          text,
  note                text,
  taxonomy_version    integer,
  disqualified_at     timestamptz NOT NULL,
  reason_provided_at  timestamptz,
  captured_via        text        NOT NULL CHECK (captured_via IN ('event', 'api')),
  captured_by         text,
  company             text,
  source              text,
  channel             text,
  campaign            text,
  form                text,
  country             text,
  company_size        text,
  industry            text,
  seniority           text,
  intent_tier         text,
  owner_crm_id        text,
  owner_username      text,
  team_name           text,
  routing_rule        text,
  lead_created_at     timestamptz,
  lead_age_seconds    bigint,
  first_touched_at    timestamptz,
  ttft_seconds        bigint,
  no_contact_attempt  boolean     NOT NULL,
  reminders_sent      integer     NOT NULL DEFAULT 0,
  manager_notified_at timestamptz,
  recycle_at          timestamptz,
  recycle_number      integer,
  recycle_capped      boolean     NOT NULL DEFAULT false,
  recycled_at         timestamptz,
  closed_at           timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT disqualification_reason_ck CHECK (reason_state = 'MISSING' OR reason_code IS NOT NULL)
);

CREATE UNIQUE INDEX disqualification_active_uk ON disqualification (lead_id) WHERE state = 'ACTIVE';
CREATE INDEX disqualification_list_idx ON disqualification (disqualified_at DESC, id DESC);
CREATE INDEX disqualification_missing_idx ON disqualification (disqualified_at)
  WHERE reason_state = 'MISSING' AND state = 'ACTIVE';

-- Durable timers (reason reminders, manager escalation, recycle dates). Claimed with FOR UPDATE SKIP LOCKED by
-- whichever replica polls first; a fired or cancelled timer keeps its row for the record.
CREATE TABLE feedback_timer (
  id                  uuid PRIMARY KEY,
  kind                text        NOT NULL CHECK (kind IN ('REASON_REMINDER', 'MANAGER_ESCALATION', 'RECYCLE')),
  disqualification_id uuid        NOT NULL REFERENCES disqualification (id),
  due_at              timestamptz NOT NULL,
  attempts            integer     NOT NULL DEFAULT 0,
  fired_at            timestamptz,
  cancelled_at        timestamptz,
  last_error          text,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX feedback_timer_due_idx ON feedback_timer (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX feedback_timer_dq_idx ON feedback_timer (disqualification_id);

-- Marketing ops contests a disqualification; a sales manager of the lead's team (or an admin) resolves it.
CREATE TABLE dispute (
  id                  uuid PRIMARY KEY,
  disqualification_id uuid        NOT NULL REFERENCES disqualification (id),
  lead_id             uuid        NOT NULL,
  team_name           text,
  state               text        NOT NULL CHECK (state IN ('OPEN', 'ACCEPTED', 'REJECTED')),
  opened_by           text        NOT NULL,
  opened_at           timestamptz NOT NULL,
  comment             text        NOT NULL,
  resolved_by         text,
  resolved_at         timestamptz,
  resolution_comment  text
);

CREATE UNIQUE INDEX dispute_open_uk ON dispute (disqualification_id) WHERE state = 'OPEN';
CREATE INDEX dispute_team_idx ON dispute (team_name, opened_at);

CREATE TABLE dispute_audit (
  id         uuid PRIMARY KEY,
  dispute_id uuid        NOT NULL REFERENCES dispute (id),
  action     text        NOT NULL CHECK (action IN ('OPENED', 'ACCEPTED', 'REJECTED')),
  actor      text        NOT NULL,
  at         timestamptz NOT NULL,
  comment    text
);

CREATE INDEX dispute_audit_dispute_idx ON dispute_audit (dispute_id, at);
