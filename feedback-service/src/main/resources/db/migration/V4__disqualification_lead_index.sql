-- Every per-lead lookup (the lead's latest standing disqualification in the insights cohort, its recycle count)
-- needs this; without it each lead of a cohort scans the whole table.
CREATE INDEX disqualification_lead_idx ON disqualification (lead_id, disqualified_at DESC);
