-- Platform tables every service owns in its own database: the transactional outbox (events written in the
-- same transaction as the state change, published later by the relay) and the inbox of processed messages
-- (the idempotency record of every consumer, committed together with the consumer's effect).
-- Versioned 0.x so that each service's own migrations (V1 and up) always run after them.

CREATE TABLE outbox_event (
  id              uuid PRIMARY KEY,
  exchange        text        NOT NULL,
  routing_key     text        NOT NULL,
  event_type      text        NOT NULL,
  subject         text,
  envelope        jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_at    timestamptz,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text
);

-- The relay only ever scans unpublished rows that are due.
CREATE INDEX outbox_event_pending_idx ON outbox_event (next_attempt_at, created_at) WHERE published_at IS NULL;
CREATE INDEX outbox_event_published_idx ON outbox_event (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE processed_message (
  consumer     text        NOT NULL,
  message_id   text        NOT NULL,
  event_type   text,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE INDEX processed_message_processed_at_idx ON processed_message (processed_at);
