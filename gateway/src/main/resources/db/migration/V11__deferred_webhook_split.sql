-- HubSpot deliveries are stored as one row before the 2xx and split into their events afterwards, by
-- DeliverySplitter: storing one row per event on the request path was two thirds of the ingest cost.
--
-- split_at: when the delivery's events were written to webhook_event (NULL: not yet, the splitter's work).
-- Rows stored before this migration had their events stored with them: they get '-infinity' ("split with the
-- store"), given as the column default so that adding it does not rewrite the table, then the default is dropped.
ALTER TABLE webhook_delivery
  ADD COLUMN split_at    timestamptz DEFAULT '-infinity',
  ADD COLUMN stored      integer,
  ADD COLUMN ignored     integer,
  -- why the delivery could not be split (it is then marked split, so it is never retried and never blocks others)
  ADD COLUMN split_error text;
ALTER TABLE webhook_delivery ALTER COLUMN split_at DROP DEFAULT;

-- the splitter's queue: only unsplit deliveries are in it, so it stays small however large the table grows
CREATE INDEX webhook_delivery_unsplit_idx ON webhook_delivery (id) WHERE split_at IS NULL;

-- Nothing reads webhook_event by (crm, object_type, object_id, occurred_at): the normaliser claims through
-- webhook_event_pending_idx and keeps object state in crm_object_state. The index cost a fifth of the event insert.
DROP INDEX webhook_event_object_idx;

-- The delivery of an event is written by the same transaction that writes the event (the synchronous store, or the
-- splitter, which holds the delivery row locked), and deliveries are never deleted: the foreign key only added a
-- lookup and a row lock on webhook_delivery per event inserted.
ALTER TABLE webhook_event DROP CONSTRAINT webhook_event_delivery_id_fkey;
