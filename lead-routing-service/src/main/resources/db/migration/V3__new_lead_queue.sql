-- Leads stored by intake and not routed yet are the new-lead router's work queue: it claims the oldest first.
CREATE INDEX lead_new_idx ON lead (received_at, id) WHERE status = 'NEW';
