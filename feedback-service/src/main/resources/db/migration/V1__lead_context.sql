-- What marketing needs to know about a lead when sales disqualifies it: where it came from and who it is.
-- Kept from the gateway's lead events so that a disqualification can be joined with its context at capture.
CREATE TABLE lead_context (
  lead_id        uuid PRIMARY KEY,
  crm            text        NOT NULL,
  crm_id         text        NOT NULL,
  email          text,
  company        text,
  country        text,
  company_size   text,
  industry       text,
  source         text,
  channel        text,
  campaign       text,
  intent_tier    text,
  crm_created_at timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lead_context_crm_uk UNIQUE (crm, crm_id)
);

CREATE INDEX lead_context_source_idx ON lead_context (source, channel, campaign);
