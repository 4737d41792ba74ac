-- Herald schema version 2: the claim as a function, so that its plan cannot drift.
-- The only good plan for a claim walks the claim index in order and stops after the few rows it
-- wants. Statistics taken while the table was nearly empty (ANALYZE after a drain) make the
-- planner expect one ready row per receiver and choose a bitmap scan plus a sort instead, which
-- reads and sorts every ready row of the receiver for each claim: 94-212 ms per claim at a backlog
-- of 65k, so claims fall behind and the backlog grows until the next ANALYZE. The function's SET
-- clauses hold for its own statement only and leave the planner nothing else to choose, whatever
-- the statistics or the session's own settings.
--
-- The MATERIALIZED CTE fences the planner: a plain IN (subquery) may lock more rows than LIMIT.
-- = ANY(ARRAY(...)) makes the UPDATE probe the primary key; a join on the CTE was planned as a hash
-- join over a sequential scan of the whole table (10x slower at 100k rows). A want's lower bound
-- on run_at (since) starts the index walk past the entries of delivered tasks, which stay in the
-- claim index until vacuum removes them. A send still uncommitted may become visible behind the
-- rows claimed now: each row returns the start of the oldest transaction of this database that
-- has written and not committed (open_since), below which the next position must not go
-- (read-only snapshots, however old, have no xid and do not count). The lease runs from
-- clock_timestamp(), the moment the row is written, not from the statement's start: a claim that
-- waited on a lock still gets its whole lease. Claims commit durably: a claim lost in a server
-- crash would let the same node claim the same attempt number again, and fencing tokens must
-- never repeat.
CREATE OR REPLACE FUNCTION ${table}_claim(
    signals text[], receivers text[], limits int[], owner text, lease_secs float8, sinces text[])
  RETURNS TABLE (id bigint, signal text, receiver text, payload text, headers text,
                 attempt int, created_at timestamptz, run_at timestamptz, open_since timestamptz)
  LANGUAGE sql VOLATILE
  SET enable_indexscan = on
  SET enable_bitmapscan = off
  SET enable_seqscan = off
  SET enable_sort = off
AS $$
WITH want AS (
  SELECT * FROM unnest($1, $2, $3, $6) AS w(signal, receiver, n, since)
), c AS MATERIALIZED (
  SELECT k.id FROM want w CROSS JOIN LATERAL (
    SELECT t.id FROM ${table} t
     WHERE t.signal = w.signal AND t.receiver = w.receiver AND t.state = 'ready'
       AND t.run_at >= coalesce(w.since::timestamptz, '-infinity')
       AND t.run_at <= now() AND (t.locked_until IS NULL OR t.locked_until < now())
     ORDER BY t.run_at, t.id
     LIMIT w.n
     FOR UPDATE SKIP LOCKED) k
)
UPDATE ${table} t
   SET attempt = t.attempt + 1, locked_by = $4,
       locked_until = clock_timestamp() + make_interval(secs => $5)
 WHERE t.id = ANY(ARRAY(SELECT c.id FROM c))
RETURNING t.id, t.signal, t.receiver, t.payload::text, t.headers::text, t.attempt,
          t.created_at, t.run_at, least(now(), (
            SELECT min(a.xact_start) FROM pg_stat_get_activity(NULL) a
             WHERE a.backend_xid IS NOT NULL AND a.datid = (
               SELECT d.oid FROM pg_database d WHERE d.datname = current_database())))
$$;
