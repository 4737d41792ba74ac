-- Herald schema version 3: the writes that match claim tokens as functions, so that their plans
-- cannot drift either (see V2__claim_function.sql for the claim).
-- An acknowledgement, a release and a lease extension each find up to a few hundred rows by
-- primary key. Statistics taken while the table was nearly empty, its heap and primary key still
-- large (autovacuum's ANALYZE after a drain), make the planner price those probes above a
-- sequential scan: in a soak, every acknowledgement between two ANALYZEs read the whole table
-- (20k buffers and 90-583 ms instead of a few dozen buffers), and the backlog grew to 130k. The
-- functions' SET clauses rule the sequential scan out for their own statements only.
--
-- Rows are locked in id order first, so that an acknowledgement and a lease extension over
-- overlapping tasks can never deadlock; FOR UPDATE re-checks the token on a row that changed
-- while it waited. Matching each row's attempt by its position in the arrays keeps the plan a
-- primary-key probe; a join on unnest() may be planned as a hash join over the whole table.
CREATE OR REPLACE FUNCTION ${table}_lock_tokens(ids bigint[], attempts int[], owner text)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT t.id FROM ${table} t
 WHERE t.id = ANY($1) AND t.locked_by = $3 AND t.attempt = $2[array_position($1, t.id)]
 ORDER BY t.id FOR UPDATE
$$;

-- The writes below are dispatcher bookkeeping: each makes its own transaction commit without
-- waiting for its WAL flush (set_config(..., true) outlives the function, up to the commit).
-- Losing one in a server crash reverts the row to leased, and the task runs again after its lease
-- (at least once). On a durable server these writes would otherwise queue behind every
-- application commit's flush. Claims stay durable (V2).
CREATE OR REPLACE FUNCTION ${table}_complete_many(ids bigint[], attempts int[], owner text)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT set_config('synchronous_commit', 'off', true);
DELETE FROM ${table} t WHERE t.id = ANY(ARRAY(SELECT ${table}_lock_tokens($1, $2, $3)))
RETURNING t.id
$$;

-- refund is 1 to give the attempt back (the task never reached its receiver), 0 otherwise.
CREATE OR REPLACE FUNCTION ${table}_release(
    ids bigint[], attempts int[], owner text, refund int)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT set_config('synchronous_commit', 'off', true);
UPDATE ${table} t SET locked_until = NULL, locked_by = NULL, attempt = t.attempt - $4
 WHERE t.id = ANY(ARRAY(SELECT ${table}_lock_tokens($1, $2, $3)))
RETURNING t.id
$$;

-- The lease runs from clock_timestamp(), the moment the row is written: an extension that waited
-- on a lock still gets its whole lease.
CREATE OR REPLACE FUNCTION ${table}_extend_lease(
    ids bigint[], attempts int[], owner text, lease_secs float8)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT set_config('synchronous_commit', 'off', true);
UPDATE ${table} t SET locked_until = clock_timestamp() + make_interval(secs => $4)
 WHERE t.id = ANY(ARRAY(SELECT ${table}_lock_tokens($1, $2, $3)))
RETURNING t.id
$$;
