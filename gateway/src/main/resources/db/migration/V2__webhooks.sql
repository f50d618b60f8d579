-- Every webhook delivery, stored exactly as received before the CRM gets its 2xx, and the events it carried,
-- deduplicated. The normaliser works through the PENDING events; IGNORED ones (unknown subscription types) are
-- kept for audit.
CREATE TABLE webhook_delivery (
  id          uuid PRIMARY KEY,
  crm         text        NOT NULL,
  received_at timestamptz NOT NULL,
  headers     jsonb       NOT NULL,
  body        text        NOT NULL,
  event_count integer     NOT NULL,
  duplicates  integer     NOT NULL DEFAULT 0
);

CREATE INDEX webhook_delivery_received_idx ON webhook_delivery (received_at);

CREATE TABLE webhook_event (
  id                uuid PRIMARY KEY,
  delivery_id       uuid        NOT NULL REFERENCES webhook_delivery (id),
  crm               text        NOT NULL,
  -- HubSpot: portalId:subscriptionId:eventId:occurredAt; Salesforce: organizationId:notificationId
  dedupe_key        text        NOT NULL,
  account_id        text        NOT NULL,
  subscription_type text        NOT NULL,
  object_type       text,
  object_id         text,
  occurred_at       timestamptz,
  attempt_number    integer,
  payload           jsonb       NOT NULL,
  status            text        NOT NULL,
  received_at       timestamptz NOT NULL,
  processed_at      timestamptz,
  CONSTRAINT webhook_event_status_ck CHECK (status IN ('PENDING', 'IGNORED', 'DONE', 'FAILED')),
  CONSTRAINT webhook_event_dedupe_uk UNIQUE (crm, dedupe_key)
);

CREATE INDEX webhook_event_pending_idx ON webhook_event (received_at) WHERE status = 'PENDING';
CREATE INDEX webhook_event_object_idx ON webhook_event (crm, object_type, object_id, occurred_at);
