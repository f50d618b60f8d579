-- Leads known to routing, as told by the gateway's canonical lead events.
CREATE TABLE lead (
  id            uuid PRIMARY KEY,
  crm           text        NOT NULL,
  crm_id        text        NOT NULL,
  email         text,
  first_name    text,
  last_name     text,
  company       text,
  country       text,
  source        text,
  channel       text,
  intent_tier   text,
  owner_username text,
  crm_created_at timestamptz,
  received_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- how many lead events were applied to this row; each applied event raises it by one
  revision      integer     NOT NULL DEFAULT 1,
  CONSTRAINT lead_crm_uk UNIQUE (crm, crm_id)
);

CREATE INDEX lead_owner_idx ON lead (owner_username, received_at DESC);
CREATE INDEX lead_received_idx ON lead (received_at DESC, id);
