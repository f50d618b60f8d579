-- Deals with their history, people (leads) and their first touch, dated exchange rates, campaign spend,
-- signed metric definitions, immutable attribution runs, and the live (incrementally maintained) credits.

-- person and account linkage of touchpoints
ALTER TABLE touchpoint ADD COLUMN lead_id uuid;
ALTER TABLE touchpoint ADD COLUMN crm_account_id text;
CREATE INDEX touchpoint_lead_idx ON touchpoint (lead_id, occurred_at);

-- people as the gateway announced them (lead.created) and their first touch (routing lead.first-touched)
CREATE TABLE lead_fact (
  lead_id             uuid PRIMARY KEY,
  crm                 text,
  crm_id              text,
  email               text,
  account_domain      text,
  source              text,
  channel             text,
  campaign            text,
  created_at          timestamptz,
  first_touched_at    timestamptz,
  ttft_seconds        bigint,
  first_touch_via     text,
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_fact_email_idx ON lead_fact (email);
CREATE INDEX lead_fact_created_idx ON lead_fact (created_at);

CREATE TABLE deal (
  id             uuid PRIMARY KEY,
  crm            text        NOT NULL,
  crm_id         text        NOT NULL,
  name           text,
  account_domain text,
  stage          text,
  pipeline       text,
  amount_minor   bigint      NOT NULL CHECK (amount_minor >= 0),
  currency       text        NOT NULL,
  owner          text,
  team           text,
  source         text,
  created_at     timestamptz NOT NULL,
  close_date     text,
  deleted        boolean     NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (crm, crm_id)
);
CREATE INDEX deal_updated_idx ON deal (updated_at);

CREATE TABLE deal_stage_change (
  deal_id    uuid        NOT NULL REFERENCES deal (id),
  changed_at timestamptz NOT NULL,
  stage      text        NOT NULL,
  PRIMARY KEY (deal_id, changed_at, stage)
);
CREATE INDEX deal_stage_change_stage_idx ON deal_stage_change (stage, changed_at);

CREATE TABLE deal_amount_change (
  deal_id      uuid        NOT NULL REFERENCES deal (id),
  changed_at   timestamptz NOT NULL,
  amount_minor bigint      NOT NULL CHECK (amount_minor >= 0),
  currency     text        NOT NULL,
  PRIMARY KEY (deal_id, changed_at)
);

-- contacts of a deal with their role; "primary" marks the primary contact (attribution scope PRIMARY_CONTACT)
CREATE TABLE deal_contact (
  deal_id        uuid    NOT NULL REFERENCES deal (id),
  lead_id        uuid    NOT NULL,
  crm_contact_id text,
  role           text    NOT NULL DEFAULT 'contact',
  is_primary     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (deal_id, lead_id)
);
CREATE INDEX deal_contact_lead_idx ON deal_contact (lead_id);

-- deals whose live attribution must be recomputed (incremental updates), claimed with SKIP LOCKED
CREATE TABLE deal_dirty (
  deal_id   uuid PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exchange_rate (
  currency   text          NOT NULL,
  valid_from date          NOT NULL,
  rate       numeric(24, 12) NOT NULL CHECK (rate > 0),
  created_by text,
  created_at timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (currency, valid_from)
);

CREATE TABLE campaign_spend (
  id           uuid PRIMARY KEY,
  campaign     text   NOT NULL,
  segment      text,
  period_start date   NOT NULL,
  period_end   date   NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency     text   NOT NULL,
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- versioned metric definitions: drafted by revops-admin, take effect only when one sales-manager AND one
-- marketing-ops (two different people) have approved
CREATE TABLE metric_definition (
  id                    uuid PRIMARY KEY,
  version               int         NOT NULL UNIQUE,
  status                text        NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'SUPERSEDED')),
  body                  jsonb       NOT NULL,
  drafted_by            text        NOT NULL,
  drafted_at            timestamptz NOT NULL DEFAULT now(),
  sales_approved_by     text,
  sales_approved_at     timestamptz,
  marketing_approved_by text,
  marketing_approved_at timestamptz,
  activated_at          timestamptz
);
CREATE UNIQUE INDEX metric_definition_one_active ON metric_definition ((status)) WHERE status = 'ACTIVE';

-- immutable, versioned attribution runs
CREATE TABLE attribution_run (
  id                 uuid PRIMARY KEY,
  model              text        NOT NULL,
  run_version        int         NOT NULL,
  settings           jsonb       NOT NULL,
  definition_version int         NOT NULL,
  data_as_of         timestamptz NOT NULL,
  status             text        NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
  deals_total        int         NOT NULL DEFAULT 0,
  deals_done         int         NOT NULL DEFAULT 0,
  previous_run_id    uuid,
  started_by         text,
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  error              text,
  UNIQUE (model, run_version)
);

CREATE TABLE attribution_run_log (
  run_id uuid        NOT NULL REFERENCES attribution_run (id),
  seq    bigserial,
  at     timestamptz NOT NULL DEFAULT now(),
  line   text        NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- one row per touch line of a deal in a run (excluded touches included with amount 0 and their reason),
-- plus an UNATTRIBUTED line (touchpoint_id null) for deals without eligible touches
CREATE TABLE attribution_credit (
  run_id         uuid   NOT NULL REFERENCES attribution_run (id),
  deal_id        uuid   NOT NULL,
  touchpoint_id  uuid,
  line           int    NOT NULL,
  channel        text   NOT NULL,
  campaign       text,
  source         text,
  team           text,
  roles          text,
  rule           text,
  exclusion      text,
  amount_minor   bigint NOT NULL CHECK (amount_minor >= 0),
  currency       text   NOT NULL,
  reporting_minor bigint,
  PRIMARY KEY (run_id, deal_id, line)
);
CREATE INDEX attribution_credit_channel_idx ON attribution_credit (run_id, channel, campaign);

-- credits of a completed run can never change: restatements are new runs
CREATE FUNCTION attribution_credit_immutable() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM attribution_run r WHERE r.id = OLD.run_id AND r.status <> 'RUNNING') THEN
    RAISE EXCEPTION 'attribution run % is finished and immutable', OLD.run_id;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER attribution_credit_immutable BEFORE UPDATE OR DELETE ON attribution_credit
  FOR EACH ROW EXECUTE FUNCTION attribution_credit_immutable();

-- live credits per deal and rule-based model, replaced whenever the deal or its touches change
CREATE TABLE live_credit (
  deal_id         uuid        NOT NULL,
  model           text        NOT NULL,
  line            int         NOT NULL,
  touchpoint_id   uuid,
  channel         text        NOT NULL,
  campaign        text,
  source          text,
  team            text,
  roles           text,
  amount_minor    bigint      NOT NULL,
  currency        text        NOT NULL,
  reporting_minor bigint,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deal_id, model, line)
);
CREATE INDEX live_credit_model_idx ON live_credit (model, channel);
