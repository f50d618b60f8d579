-- A lead created in the CRM long before it reached us (a backfill of existing records) is kept as HISTORIC and
-- never routed.
ALTER TABLE lead DROP CONSTRAINT lead_status_check;
ALTER TABLE lead ADD CONSTRAINT lead_status_check
  CHECK (status IN ('NEW', 'ASSIGNED', 'QUEUED', 'TOUCHED', 'CLOSED', 'HISTORIC'));
