-- Owners the gateway writes to CRM records (owner.assign, record.fields.set of the owner field), recorded before the
-- write: the outbound message or sync record that echoes the write is recognised by them and publishes no
-- lead.owner-changed. A matching row is consumed when its echo arrives; rows older than a day (outbound messages are
-- retried for 24 h) no longer count and are removed by the next write to the same record.
CREATE TABLE crm_own_write (
  id          bigserial   PRIMARY KEY,
  crm         text        NOT NULL,
  -- Salesforce: the 15-character id, so that 15 and 18 character ids of one record meet
  object_id   text        NOT NULL,
  field       text        NOT NULL,
  value       text        NOT NULL,
  command_id  uuid        NOT NULL,
  written_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX crm_own_write_object_idx ON crm_own_write (crm, object_id, field);
