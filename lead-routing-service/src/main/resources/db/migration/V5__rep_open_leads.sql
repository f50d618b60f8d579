-- Open untouched leads (status ASSIGNED) per owner, kept by a trigger on lead, so a routing round reads one row per rep
-- instead of counting every assigned lead of every candidate rep each round (that count grew with the table and was
-- most of PostgreSQL's CPU per routed lead in the load benchmark). The trigger sees every write to lead, whichever
-- code path (or replica, or manual SQL) makes it, so the counts cannot drift from the rows.
CREATE TABLE rep_open_leads (
  username   text    PRIMARY KEY,
  open_count integer NOT NULL
);

INSERT INTO rep_open_leads (username, open_count)
SELECT owner_username, count(*) FROM lead
 WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
 GROUP BY owner_username;

CREATE FUNCTION lead_count_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.owner_username IS NOT DISTINCT FROM OLD.owner_username THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'ASSIGNED' AND OLD.owner_username IS NOT NULL THEN
    UPDATE rep_open_leads SET open_count = open_count - 1 WHERE username = OLD.owner_username;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'ASSIGNED' AND NEW.owner_username IS NOT NULL THEN
    INSERT INTO rep_open_leads AS o (username, open_count) VALUES (NEW.owner_username, 1)
      ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER lead_count_open AFTER INSERT OR DELETE OR UPDATE OF status, owner_username ON lead
  FOR EACH ROW EXECUTE FUNCTION lead_count_open();

-- TRUNCATE fires no row trigger: start the counts again from nothing
CREATE FUNCTION lead_count_open_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM rep_open_leads;
  RETURN NULL;
END $$;

CREATE TRIGGER lead_count_open_reset AFTER TRUNCATE ON lead
  FOR EACH STATEMENT EXECUTE FUNCTION lead_count_open_reset();
