-- Herald schema version 6: per-receiver statistics, with a cost bounded whatever the table holds.
--
-- ${table}_stats() answers, for every pair of the receiver registry and every pair the caller
-- names, counts that each read at most cap index entries (count(*) over a LIMIT cap subquery),
-- plus the rows passed over on the way, which are leased tasks only (at most the fleet's
-- in-flight limits):
--   ready      due, unleased ready tasks, by the claim index, oldest first, with the oldest's age;
--   due        the oldest cap due ready tasks, leased or not (the claim index), and among them
--   running    the leased ones: leased tasks are due (a claim takes only due tasks, and a retry or
--              a release unleases), and claims take the oldest first, so a full window is the
--              only case where running is a lower bound (the row says so: due = cap);
--   scheduled  ready tasks not yet due (the claim index's range after now());
--   dead       dead letters, by the index below.
-- Its SET clauses pin those plans to ordered index walks that stop at the cap, as the claim's do
-- (V2__claim_function.sql): a plan chosen on statistics taken while the table was nearly empty
-- would count the whole backlog. Those settings price every other plan so high that the planner
-- would compile the statement with JIT, which alone took 550 ms per call (PostgreSQL 15): the
-- function turns JIT off for its own statement.
--
-- Dead letters are indexed by pair: the dead-letter index of version 1 is by id only, and
-- counting one pair's dead letters through it reads every pair's. Only dead rows enter it, and a
-- dead letter is written once (its state changes, which is never a HOT update anyway): claims,
-- which write no indexed column, stay HOT. On a large existing table, building it blocks writes to
-- the table while it reads the dead letters' rows (CONCURRENTLY is not possible on a partitioned
-- table).
CREATE INDEX IF NOT EXISTS ${name}_dead_pair_idx ON ${table} (signal, receiver, id)
  WHERE state = 'dead';

CREATE OR REPLACE FUNCTION ${table}_stats(signals text[], receivers text[], cap int)
  RETURNS TABLE (signal text, receiver text, ready bigint, oldest_ready_micros bigint, due bigint,
                 running bigint, scheduled bigint, dead bigint)
  LANGUAGE sql STABLE
  SET enable_seqscan = off
  SET enable_bitmapscan = off
  SET enable_sort = off
  SET jit = off
AS $$
WITH pairs AS (
  SELECT g.signal, g.receiver FROM ${table}_receivers g
  UNION
  SELECT x.signal, x.receiver FROM unnest($1, $2) AS x(signal, receiver)
)
SELECT p.signal, p.receiver, r.n, (extract(epoch FROM now() - r.oldest) * 1e6)::bigint, w.n, w.running,
       s.n, d.n
  FROM pairs p
  CROSS JOIN LATERAL (
    SELECT count(*) AS n, min(q.run_at) AS oldest FROM (
      SELECT t.run_at FROM ${table} t
       WHERE t.signal = p.signal AND t.receiver = p.receiver AND t.state = 'ready'
         AND t.run_at <= now() AND (t.locked_until IS NULL OR t.locked_until < now())
       ORDER BY t.run_at, t.id
       LIMIT $3) q) r
  CROSS JOIN LATERAL (
    SELECT count(*) AS n, count(*) FILTER (WHERE q.locked_until >= now()) AS running FROM (
      SELECT t.locked_until FROM ${table} t
       WHERE t.signal = p.signal AND t.receiver = p.receiver AND t.state = 'ready'
         AND t.run_at <= now()
       ORDER BY t.run_at, t.id
       LIMIT $3) q) w
  CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM (
      SELECT 1 FROM ${table} t
       WHERE t.signal = p.signal AND t.receiver = p.receiver AND t.state = 'ready'
         AND t.run_at > now()
       LIMIT $3) q) s
  CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM (
      SELECT 1 FROM ${table} t
       WHERE t.signal = p.signal AND t.receiver = p.receiver AND t.state = 'dead'
       LIMIT $3) q) d
 ORDER BY p.signal, p.receiver
$$;
