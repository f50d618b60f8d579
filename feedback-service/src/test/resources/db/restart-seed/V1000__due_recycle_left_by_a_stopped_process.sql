-- Test-only seed (RecycleDueAtStartupTest): what a previous process left in the database before it stopped: a lead
-- disqualified 100 days ago for BAD_TIMING whose recycle date passed 10 days ago while no replica was running.
INSERT INTO lead_context (lead_id, crm, crm_id, company, source, channel, crm_created_at, first_seen_at, updated_at)
VALUES ('00000000-0000-4000-8000-00000000a001', 'hubspot', 'hs-restart-seed', 'Slept Through Ltd', 'events', 'web',
        now() - interval '120 days', now() - interval '120 days', now());

INSERT INTO disqualification (id, lead_id, crm, crm_id, crm_status, state, reason_state, reason_code, reason_category,
  taxonomy_version, disqualified_at, reason_provided_at, captured_via, no_contact_attempt, recycle_at, recycle_number,
  created_at, updated_at)
VALUES ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000a001', 'hubspot',
        'hs-restart-seed', 'UNQUALIFIED', 'ACTIVE', 'PROVIDED', 'BAD_TIMING', 'timing', 1, now() - interval '100 days',
        now() - interval '100 days', 'api', false, now() - interval '10 days', 1, now() - interval '100 days',
        now() - interval '100 days');

INSERT INTO feedback_timer (id, kind, disqualification_id, due_at, created_at)
VALUES ('00000000-0000-4000-8000-00000000f001', 'RECYCLE', '00000000-0000-4000-8000-00000000d001',
        now() - interval '10 days', now() - interval '100 days');
