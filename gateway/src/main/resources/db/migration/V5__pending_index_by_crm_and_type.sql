-- The normaliser looks for due events of the CRMs it can reach and of the types it handles. Events of other types
-- (or of a CRM without credentials) wait, kept, and must not be scanned again on every round: the index leads with
-- crm and type so that such rows cost nothing.
DROP INDEX webhook_event_pending_idx;
CREATE INDEX webhook_event_pending_idx ON webhook_event (crm, subscription_type, next_attempt_at)
  WHERE status = 'PENDING';
