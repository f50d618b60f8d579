-- Salesforce Change Data Capture subscriptions (Pub/Sub API): per channel, the replay id of the last event whose
-- change was stored in webhook_event (so a restarted subscriber resumes after it with CUSTOM), and a lease so that
-- one replica at a time holds the subscription. The replay id only moves after the events up to it are committed.
CREATE TABLE cdc_subscription (
  topic          text PRIMARY KEY,
  replay_id      bytea,
  replayed_at    timestamptz,
  events         bigint      NOT NULL DEFAULT 0,
  lease_owner    text,
  lease_until    timestamptz,
  last_error     text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
