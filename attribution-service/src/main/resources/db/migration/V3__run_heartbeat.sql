-- A running run proves it is alive by its heartbeat (one per page); runs whose replica stopped are failed by the
-- reaper instead of staying RUNNING for ever.
ALTER TABLE attribution_run ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX attribution_run_running_idx ON attribution_run (heartbeat_at) WHERE status = 'RUNNING';
