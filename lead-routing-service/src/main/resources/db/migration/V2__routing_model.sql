-- Routing model: reps, teams, memberships with round-robin state, absences, known accounts, rule sets, SLA policies.

CREATE TABLE rep (
  username            text PRIMARY KEY,                -- Keycloak username
  display_name        text,
  email               text,
  hubspot_owner_id    text UNIQUE,
  salesforce_owner_id text UNIQUE,
  time_zone           text        NOT NULL DEFAULT 'UTC',
  -- weekly hours {"MONDAY":[["09:00","17:00"]],...}; null = always available
  working_hours       jsonb,
  -- comma-separated skills such as lang:de,region:emea
  skills              text        NOT NULL DEFAULT '',
  capacity            integer CHECK (capacity IS NULL OR capacity >= 0),
  active              boolean     NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team (
  id               uuid PRIMARY KEY,
  name             text NOT NULL UNIQUE,
  -- the Keycloak group of the team ("teams" claim); managers see the teams they belong to
  keycloak_group   text NOT NULL,
  manager_username text,
  -- stride scheduling: the pass of the member chosen last
  rr_virtual_time  double precision NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_member (
  id               uuid    PRIMARY KEY,
  team_id          uuid    NOT NULL REFERENCES team (id) ON DELETE CASCADE,
  username         text    NOT NULL REFERENCES rep (username) ON DELETE CASCADE,
  weight           integer NOT NULL DEFAULT 1 CHECK (weight > 0),
  rr_pass          double precision NOT NULL DEFAULT 0,
  assigned_count   bigint  NOT NULL DEFAULT 0,
  last_assigned_at timestamptz,
  UNIQUE (team_id, username)
);
CREATE INDEX team_member_user_idx ON team_member (username);

CREATE TABLE rep_absence (
  id        uuid PRIMARY KEY,
  username  text        NOT NULL REFERENCES rep (username) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at   timestamptz NOT NULL,
  reason    text,
  CHECK (ends_at > starts_at)
);
CREATE INDEX rep_absence_user_idx ON rep_absence (username, ends_at);

-- Accounts known to routing: a company email domain and its owner (from the CRM or set by an admin)
CREATE TABLE account (
  domain         text PRIMARY KEY,
  name           text,
  owner_username text NOT NULL REFERENCES rep (username),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rule_set (
  id           uuid PRIMARY KEY,
  version      integer     NOT NULL UNIQUE,
  status       text        NOT NULL CHECK (status IN ('DRAFT', 'VALIDATED', 'PUBLISHED', 'RETIRED')),
  description  text,
  definition   jsonb       NOT NULL,
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  validated_at timestamptz,
  published_by text,
  published_at timestamptz,
  retired_at   timestamptz,
  -- set on a publication that rolled back to an earlier version's definition
  rolled_back_from integer
);
-- at most one published rule set
CREATE UNIQUE INDEX rule_set_one_published ON rule_set ((status)) WHERE status = 'PUBLISHED';

CREATE TABLE sla_policy (
  id                uuid PRIMARY KEY,
  name              text    NOT NULL UNIQUE,
  -- lower first; null criteria match anything
  priority          integer NOT NULL,
  intent_tier       text,
  channel           text,
  target_seconds    integer NOT NULL CHECK (target_seconds > 0),
  clock             text    NOT NULL CHECK (clock IN ('WALL', 'BUSINESS')),
  warning_ratio     numeric(4, 3) NOT NULL DEFAULT 0.75 CHECK (warning_ratio > 0 AND warning_ratio < 1),
  max_reassignments integer NOT NULL DEFAULT 2 CHECK (max_reassignments >= 0),
  fallback_queue    text    NOT NULL DEFAULT 'sla-escalations',
  active            boolean NOT NULL DEFAULT true,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- defaults from the brief: demo request 5 minutes, high intent 1 hour, everything else 24 hours
INSERT INTO sla_policy (id, name, priority, intent_tier, channel, target_seconds, clock, warning_ratio)
VALUES ('6c3d7f1e-0000-4000-8000-000000000001', 'demo-request-5m', 10, 'demo-request', NULL, 300, 'WALL', 0.75),
       ('6c3d7f1e-0000-4000-8000-000000000002', 'high-intent-1h', 20, 'high', NULL, 3600, 'WALL', 0.75),
       ('6c3d7f1e-0000-4000-8000-000000000003', 'default-24h', 1000, NULL, NULL, 86400, 'BUSINESS', 0.75);

-- Leads: routing state, SLA clock and the attributes rules test
ALTER TABLE lead
  ADD COLUMN company_size       integer,
  ADD COLUMN industry           text,
  ADD COLUMN region             text,
  ADD COLUMN language           text,
  ADD COLUMN score              numeric,
  ADD COLUMN campaign           text,
  ADD COLUMN custom_fields      jsonb,
  ADD COLUMN status             text NOT NULL DEFAULT 'NEW'
    CHECK (status IN ('NEW', 'ASSIGNED', 'QUEUED', 'TOUCHED', 'CLOSED')),
  ADD COLUMN team_id            uuid REFERENCES team (id),
  ADD COLUMN queue              text,
  ADD COLUMN assigned_at        timestamptz,
  ADD COLUMN decision_id        uuid,
  ADD COLUMN first_touched_at   timestamptz,
  ADD COLUMN first_touch_via    text,
  ADD COLUMN first_touch_activity text,
  ADD COLUMN sla_policy         text,
  ADD COLUMN sla_due_at         timestamptz,
  ADD COLUMN sla_state          text CHECK (sla_state IN ('RUNNING', 'MET', 'BREACHED', 'ESCALATED')),
  ADD COLUMN reassignment_count integer NOT NULL DEFAULT 0;
CREATE INDEX lead_open_owner_idx ON lead (owner_username) WHERE status = 'ASSIGNED';
CREATE INDEX lead_email_open_idx ON lead (email) WHERE status IN ('ASSIGNED', 'TOUCHED', 'QUEUED');
CREATE INDEX lead_team_idx ON lead (team_id, received_at DESC);

-- Every decision, with its trace (simulations are never stored)
CREATE TABLE routing_decision (
  id               uuid PRIMARY KEY,
  lead_id          uuid        NOT NULL REFERENCES lead (id),
  decided_at       timestamptz NOT NULL,
  trigger          text        NOT NULL, -- lead-created, sla-breach, manual, requalified
  reason           text        NOT NULL, -- DUPLICATE, ACCOUNT_OWNER, RULE, FALLBACK, MANUAL
  rule_set_version integer,
  rule_name        text,
  team_id          uuid,
  chosen_username  text,
  queue            text,
  decided_by       text,
  comment          text,
  trace            jsonb       NOT NULL
);
CREATE INDEX routing_decision_lead_idx ON routing_decision (lead_id, decided_at DESC);

-- Who held the lead when: reassignment never goes back to a rep listed here
CREATE TABLE lead_assignment (
  id          uuid PRIMARY KEY,
  lead_id     uuid        NOT NULL REFERENCES lead (id),
  username    text        NOT NULL,
  team_id     uuid,
  decision_id uuid        NOT NULL REFERENCES routing_decision (id),
  assigned_at timestamptz NOT NULL,
  ended_at    timestamptz,
  end_reason  text -- sla-breach, manual, closed
);
CREATE INDEX lead_assignment_lead_idx ON lead_assignment (lead_id);

-- Durable SLA timers; claimed with FOR UPDATE SKIP LOCKED by any replica
CREATE TABLE sla_timer (
  id          uuid PRIMARY KEY,
  lead_id     uuid        NOT NULL REFERENCES lead (id),
  assignment_id uuid      NOT NULL REFERENCES lead_assignment (id),
  kind        text        NOT NULL CHECK (kind IN ('WARNING', 'DEADLINE')),
  due_at      timestamptz NOT NULL,
  state       text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'FIRED', 'CANCELLED')),
  fired_at    timestamptz,
  fired_by    text
);
CREATE INDEX sla_timer_due_idx ON sla_timer (due_at) WHERE state = 'PENDING';
CREATE INDEX sla_timer_lead_idx ON sla_timer (lead_id);

CREATE TABLE sla_breach (
  id             uuid PRIMARY KEY,
  lead_id        uuid        NOT NULL REFERENCES lead (id),
  username       text        NOT NULL,
  team_id        uuid,
  policy         text        NOT NULL,
  due_at         timestamptz NOT NULL,
  breached_at    timestamptz NOT NULL,
  outcome        text        NOT NULL, -- reassigned, queued
  reassigned_to  text
);
CREATE INDEX sla_breach_time_idx ON sla_breach (breached_at DESC);

-- Notifications to people, delivered with retries by the notifier
CREATE TABLE notification (
  id              uuid PRIMARY KEY,
  kind            text        NOT NULL, -- assignment, sla-warning, sla-breach
  recipient       text        NOT NULL,
  lead_id         uuid,
  payload         jsonb       NOT NULL,
  state           text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX notification_pending_idx ON notification (next_attempt_at) WHERE state = 'PENDING';
