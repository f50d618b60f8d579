-- The open-lead counters of several reps can change in one statement: a routing round assigns leads to several reps,
-- a manual reassignment moves a lead from one rep to another. Two such statements at once locked their reps' counter
-- rows in whatever order their GROUP BY produced, so they could wait on each other (a deadlock, which PostgreSQL
-- ends by failing one). The counters are now always locked in the order of the rep's username, and a deletion
-- changes them the same way as the other statements (an upsert of the difference) instead of an UPDATE ... FROM,
-- whose order cannot be given.
CREATE OR REPLACE FUNCTION lead_count_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rep_open_leads AS o (username, open_count)
    SELECT owner_username, count(*) FROM new_rows
     WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL GROUP BY owner_username ORDER BY owner_username
    ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + excluded.open_count;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rep_open_leads AS o (username, open_count)
    SELECT owner_username, -count(*) FROM old_rows
     WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL GROUP BY owner_username ORDER BY owner_username
    ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + excluded.open_count;
  ELSE
    INSERT INTO rep_open_leads AS o (username, open_count)
    SELECT username, sum(delta) FROM (
      SELECT owner_username AS username, -1 AS delta FROM old_rows
       WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
      UNION ALL
      SELECT owner_username, 1 FROM new_rows WHERE status = 'ASSIGNED' AND owner_username IS NOT NULL
    ) changes GROUP BY username HAVING sum(delta) <> 0 ORDER BY username
    ON CONFLICT (username) DO UPDATE SET open_count = o.open_count + excluded.open_count;
  END IF;
  RETURN NULL;
END $$;
