-- The governed reason taxonomy (codes, categories, note and recycling rules, CRM value mappings), versioned: every
-- change writes a new taxonomy_version row holding a snapshot of the whole taxonomy, and each disqualification
-- records the version its reason was resolved with.
CREATE TABLE taxonomy_version (
  version    integer PRIMARY KEY,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by text        NOT NULL,
  change     text        NOT NULL,
  snapshot   jsonb
);

CREATE TABLE reason_code (
  code               text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  label              text        NOT NULL,
  category           text        NOT NULL CHECK (category IN ('fit', 'timing', 'contactability', 'data-quality',
                                                              'competition', 'duplicate', 'spam', 'other')),
  note_required      boolean     NOT NULL DEFAULT false,
  recyclable         boolean     NOT NULL DEFAULT false,
  recycle_after_days integer CHECK (recycle_after_days IS NULL OR recycle_after_days > 0),
  active             boolean     NOT NULL DEFAULT true,
  version            integer     NOT NULL REFERENCES taxonomy_version (version),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reason_code_recycle_days_ck CHECK (NOT recyclable OR recycle_after_days IS NOT NULL)
);

-- A CRM value (HubSpot property value, Salesforce picklist value) that means a reason code. Matched without case.
CREATE TABLE reason_mapping (
  id        uuid PRIMARY KEY,
  crm       text    NOT NULL CHECK (crm IN ('hubspot', 'salesforce')),
  crm_value text    NOT NULL,
  code      text    NOT NULL REFERENCES reason_code (code),
  version   integer NOT NULL REFERENCES taxonomy_version (version)
);
CREATE UNIQUE INDEX reason_mapping_value_uk ON reason_mapping (crm, lower(crm_value));

INSERT INTO taxonomy_version (version, changed_by, change) VALUES (1, 'migration', 'default taxonomy');

INSERT INTO reason_code (code, label, category, note_required, recyclable, recycle_after_days, version) VALUES
  ('NO_BUDGET',             'No budget',                       'fit',            false, false, NULL, 1),
  ('NOT_ICP',               'Not our ideal customer profile',  'fit',            false, false, NULL, 1),
  ('BAD_TIMING',            'Bad timing',                      'timing',         false, true,  90,   1),
  ('UNRESPONSIVE',          'Unresponsive after attempts',     'contactability', false, true,  60,   1),
  ('WRONG_CONTACT',         'Wrong contact person',            'contactability', false, false, NULL, 1),
  ('INVALID_DATA',          'Invalid or fake contact data',    'data-quality',   false, false, NULL, 1),
  ('COMPETITOR_CHOSEN',     'Chose a competitor',              'competition',    false, false, NULL, 1),
  ('DUPLICATE',             'Duplicate of another lead',       'duplicate',      false, false, NULL, 1),
  ('SPAM',                  'Spam',                            'spam',           false, false, NULL, 1),
  ('STUDENT_OR_JOB_SEEKER', 'Student or job seeker',           'fit',            false, false, NULL, 1),
  ('OTHER',                 'Other (explain in the note)',     'other',          true,  false, NULL, 1);

-- HubSpot: internal values of a custom enumeration property (default disqualification_reason);
-- Salesforce: values of a custom Lead picklist (default Disqualification_Reason__c).
INSERT INTO reason_mapping (id, crm, crm_value, code, version)
SELECT gen_random_uuid(), m.crm, m.crm_value, m.code, 1 FROM (VALUES
  ('hubspot', 'no_budget', 'NO_BUDGET'), ('hubspot', 'not_icp', 'NOT_ICP'), ('hubspot', 'not_a_fit', 'NOT_ICP'),
  ('hubspot', 'bad_timing', 'BAD_TIMING'), ('hubspot', 'unresponsive', 'UNRESPONSIVE'),
  ('hubspot', 'wrong_contact', 'WRONG_CONTACT'), ('hubspot', 'invalid_data', 'INVALID_DATA'),
  ('hubspot', 'competitor_chosen', 'COMPETITOR_CHOSEN'), ('hubspot', 'duplicate', 'DUPLICATE'),
  ('hubspot', 'spam', 'SPAM'), ('hubspot', 'student_or_job_seeker', 'STUDENT_OR_JOB_SEEKER'),
  ('hubspot', 'other', 'OTHER'),
  ('salesforce', 'No Budget', 'NO_BUDGET'), ('salesforce', 'Not ICP', 'NOT_ICP'),
  ('salesforce', 'Not a Fit', 'NOT_ICP'), ('salesforce', 'Bad Timing', 'BAD_TIMING'),
  ('salesforce', 'Unresponsive', 'UNRESPONSIVE'), ('salesforce', 'No Response', 'UNRESPONSIVE'),
  ('salesforce', 'Wrong Contact', 'WRONG_CONTACT'), ('salesforce', 'Invalid Data', 'INVALID_DATA'),
  ('salesforce', 'Lost to Competitor', 'COMPETITOR_CHOSEN'), ('salesforce', 'Duplicate', 'DUPLICATE'),
  ('salesforce', 'Spam', 'SPAM'), ('salesforce', 'Student / Job Seeker', 'STUDENT_OR_JOB_SEEKER'),
  ('salesforce', 'Other', 'OTHER')) AS m (crm, crm_value, code);

UPDATE taxonomy_version SET snapshot = jsonb_build_object(
  'codes', (SELECT jsonb_agg(jsonb_build_object('code', code, 'label', label, 'category', category,
              'noteRequired', note_required, 'recyclable', recyclable, 'recycleAfterDays', recycle_after_days,
              'active', active) ORDER BY code) FROM reason_code),
  'mappings', (SELECT jsonb_agg(jsonb_build_object('crm', crm, 'crmValue', crm_value, 'code', code)
              ORDER BY crm, crm_value) FROM reason_mapping))
 WHERE version = 1;

-- Context joined at capture: owner, team and rule from lead-routing's lead.routed, first touch from
-- lead.first-touched, contact attempts from the gateway's activity.logged. Routing events can arrive before the
-- gateway's lead.created (different exchanges), so a context row may exist before its CRM identity is known.
ALTER TABLE lead_context
  ALTER COLUMN crm DROP NOT NULL,
  ALTER COLUMN crm_id DROP NOT NULL,
  ADD COLUMN form                 text,
  ADD COLUMN seniority            text,
  ADD COLUMN crm_status           text,
  ADD COLUMN owner_crm_id         text,
  ADD COLUMN owner_username       text,
  ADD COLUMN team_id              uuid,
  ADD COLUMN team_name            text,
  ADD COLUMN routing_rule         text,
  ADD COLUMN rule_set_version     integer,
  ADD COLUMN routed_at            timestamptz,
  ADD COLUMN first_touched_at     timestamptz,
  ADD COLUMN ttft_seconds         bigint,
  ADD COLUMN contact_attempted_at timestamptz,
  ADD COLUMN first_seen_at        timestamptz NOT NULL DEFAULT now();

CREATE INDEX lead_context_cohort_idx ON lead_context ((coalesce(crm_created_at, first_seen_at)));
