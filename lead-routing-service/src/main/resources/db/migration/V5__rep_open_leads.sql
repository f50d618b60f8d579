-- Open untouched leads (status ASSIGNED) per owner, kept by triggers on lead, so a routing round reads one row per rep
-- instead of counting every assigned lead of every candidate rep each round (that count grew with the table and was
-- most of PostgreSQL's CPU per routed lead in the load benchmark). The triggers see every write to lead, whichever
-- code path (or replica, or manual SQL) makes it, so the counts cannot drift from the rows.
--
-- The triggers are per statement, with transition tables: a statement changing many leads of one rep (a bulk
-- reassignment, an import) updates that rep's row once, not once per lead. Per row, a single statement assigning
-- 100,000 leads to one rep took 47 s instead of a few: each update of the same row in one transaction walks the
-- chain of that row's earlier versions.
CREATE TABLE rep_open_leads (
  username   text    PRIMARY KEY,
  open_count integer NOT NULL
);

INSERT INTO rep_open_leads (username, open_count)
SELECT owner_username, count(*) FROM lead
 WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
 GROUP BY owner_username;

-- new_rows / old_rows are the statement's transition tables; each branch only names those its event has (PL/pgSQL
-- plans a statement when it first runs it)
CREATE FUNCTION lead_count_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rep_open_leads AS o (username, open_count)
    SELECT owner_username, count(*) FROM new_rows
     WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL GROUP BY owner_username
    ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + excluded.open_count;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE rep_open_leads o SET open_count = o.open_count - d.n
      FROM (SELECT owner_username, count(*) AS n FROM old_rows
             WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL GROUP BY owner_username) d
     WHERE o.username = d.owner_username;
  ELSE
    INSERT INTO rep_open_leads AS o (username, open_count)
    SELECT username, sum(delta) FROM (
      SELECT owner_username AS username, -1 AS delta FROM old_rows
       WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
      UNION ALL
      SELECT owner_username, 1 FROM new_rows WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
    ) changes GROUP BY username HAVING sum(delta) <> 0
    ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + excluded.open_count;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER lead_count_open_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lead_count_open();
CREATE TRIGGER lead_count_open_update AFTER UPDATE ON lead REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lead_count_open();
CREATE TRIGGER lead_count_open_delete AFTER DELETE ON lead REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION lead_count_open();

-- TRUNCATE fires no row-level work: start the counts again from nothing
CREATE FUNCTION lead_count_open_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM rep_open_leads;
  RETURN NULL;
END $$;

CREATE TRIGGER lead_count_open_reset AFTER TRUNCATE ON lead
  FOR EACH STATEMENT EXECUTE FUNCTION lead_count_open_reset();
