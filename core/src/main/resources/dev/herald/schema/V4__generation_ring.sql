-- Herald schema version 4: the task table as a ring of generations that are truncated once drained.
-- Every delivered task leaves dead row versions (its insert and its claim) and a dead entry in the
-- claim index. Vacuum removes them only while no snapshot older than the deletes exists anywhere in
-- the database, and not at all where autovacuum is off; until then every claim that walks from the
-- oldest task (a sweep) walks past them, and the table only grows. TRUNCATE gives a table's space
-- back at once, whatever snapshot is held, so tasks are written into four partitions in turn (a
-- generation per 30 s of the server's clock) and ${table}_rotate() truncates each one once it holds
-- nothing, moving its dead letters to a partition of their own (never truncated) and its tasks not
-- yet due (retries, delayed sends) to the current generation first. Every statement of versions 1
-- to 3 still addresses the parent table and works unchanged.
--
-- Ids come from a sequence instead of an identity column (a partitioned table cannot carry one on
-- PostgreSQL 15); they stay unique across partitions, and a moved task keeps its id.
CREATE SEQUENCE IF NOT EXISTS ${table}_ids;

-- The generation a row written now belongs to. The same server clock for every writer; a step of
-- that clock can only make a generation current early or late, and ${table}_rotate() checks under
-- its lock that a partition is empty, so it never truncates a task.
CREATE OR REPLACE FUNCTION ${table}_generation() RETURNS smallint
  LANGUAGE sql VOLATILE
AS $$ SELECT (floor(extract(epoch FROM clock_timestamp()) / 30)::bigint % 4)::smallint $$;

-- Moves a table of the versions 1 to 3 into the ring in place: it becomes the partition of the
-- current generation (its rows, indexes and ids kept, its identity replaced by the sequence) under
-- a new partitioned parent of the same name. Only catalog changes and one scan that checks the
-- partition bound; nodes of version 3 keep working (their statements name the parent, whose
-- columns they write are unchanged).
DO $migrate$
DECLARE
  kind "char" := (SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass('${table}'));
  cur smallint := ${table}_generation();
  identity_seq text := pg_get_serial_sequence('${table}', 'id');
  last_id bigint;
BEGIN
  IF kind IS DISTINCT FROM 'r' THEN
    RETURN;
  END IF;
  LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;
  IF identity_seq IS NOT NULL THEN
    EXECUTE format('SELECT pg_sequence_last_value(%L)', identity_seq) INTO last_id;
  END IF;
  last_id := greatest(last_id, (SELECT max(id) FROM ${table}), 0);
  PERFORM setval('${table}_ids', last_id + 1, false);
  IF identity_seq IS NOT NULL THEN
    ALTER TABLE ${table} ALTER COLUMN id DROP IDENTITY;
  END IF;
  EXECUTE format('ALTER TABLE ${table} ADD COLUMN gen smallint NOT NULL DEFAULT %s', cur);
  EXECUTE format('ALTER INDEX ${table}_pkey RENAME TO ${name}_g%s_pkey', cur);
  EXECUTE format('ALTER INDEX ${table}_claim_idx RENAME TO ${name}_g%s_claim_idx', cur);
  EXECUTE format('ALTER INDEX ${table}_dead_idx RENAME TO ${name}_g%s_dead_idx', cur);
  EXECUTE format('ALTER TABLE ${table} RENAME TO ${name}_g%s', cur);
END
$migrate$;

CREATE TABLE IF NOT EXISTS ${table} (
  id           bigint      NOT NULL DEFAULT nextval('${table}_ids'),
  signal       text        NOT NULL,
  receiver     text        NOT NULL,
  payload      jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  -- Named as version 1 named it, which the migrated table's constraint must match.
  state        text        NOT NULL DEFAULT 'ready'
                           CONSTRAINT ${name}_state_check CHECK (state IN ('ready', 'dead')),
  attempt      integer     NOT NULL DEFAULT 0,
  run_at       timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by    text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  gen          smallint    NOT NULL DEFAULT ${table}_generation()
) PARTITION BY LIST (gen);
ALTER SEQUENCE ${table}_ids OWNED BY ${table}.id;

-- The migrated table (if any) becomes the current generation's partition, then the partitions still
-- missing are created, with version 1's storage options: claims stay HOT where the row fits its
-- page.
DO $attach$
DECLARE
  g smallint;
BEGIN
  FOR g IN SELECT x FROM generate_series(0, 3) AS x LOOP
    IF to_regclass(format('${table}_g%s', g)) IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_inherits i WHERE i.inhrelid = to_regclass(format('${table}_g%s', g))) THEN
      EXECUTE format('ALTER TABLE ${table} ATTACH PARTITION ${table}_g%1$s FOR VALUES IN (%1$s)', g);
    END IF;
  END LOOP;
END
$attach$;
CREATE TABLE IF NOT EXISTS ${table}_g0 PARTITION OF ${table} (PRIMARY KEY (id))
  FOR VALUES IN (0) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02);
CREATE TABLE IF NOT EXISTS ${table}_g1 PARTITION OF ${table} (PRIMARY KEY (id))
  FOR VALUES IN (1) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02);
CREATE TABLE IF NOT EXISTS ${table}_g2 PARTITION OF ${table} (PRIMARY KEY (id))
  FOR VALUES IN (2) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02);
CREATE TABLE IF NOT EXISTS ${table}_g3 PARTITION OF ${table} (PRIMARY KEY (id))
  FOR VALUES IN (3) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02);
-- Dead letters wait for an operator, often for long: they never hold a generation back.
CREATE TABLE IF NOT EXISTS ${table}_dead PARTITION OF ${table} (PRIMARY KEY (id))
  FOR VALUES IN (-1);

-- Partitioned indexes: each partition's matching index (the migrated table's own) is attached,
-- missing ones are built.
CREATE INDEX IF NOT EXISTS ${name}_claim_idx ON ${table} (signal, receiver, run_at, id)
  WHERE state = 'ready';
CREATE INDEX IF NOT EXISTS ${name}_dead_idx ON ${table} (id) WHERE state = 'dead';

-- One step of the ring's upkeep, run every few seconds by every node (one at a time: the others
-- return nothing). For each generation but the current one, oldest first: a generation that still
-- holds a due or leased task waits for the dispatchers ('busy'); otherwise its dead letters move to
-- their own partition (gen -1) and its tasks not yet due to the current generation (at most
-- max_moved), and it is truncated under an ACCESS EXCLUSIVE lock on that partition alone, which
-- nothing that writes the current generation holds: senders never wait for it. The lock is taken
-- with a 20 ms lock_timeout ('locked' when it expired: a transaction that wrote or read the
-- partition, such as a REPEATABLE READ report on the task table, is still open), and under it the
-- partition is checked again, so a task written or moved into it since is never lost ('busy'). At
-- most one generation is truncated per call: claims and acknowledgements, which touch every
-- partition, wait for one such lock at a time. Commits asynchronously like the other dispatcher
-- writes: a step lost in a server crash is simply not done.
CREATE OR REPLACE FUNCTION ${table}_rotate(max_moved int)
  RETURNS TABLE (generation smallint, outcome text, moved bigint, freed bigint)
  LANGUAGE plpgsql VOLATILE
  SET lock_timeout = '20ms'
AS $$
DECLARE
  cur smallint := ${table}_generation();
  part regclass;
  busy boolean;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  IF NOT pg_try_advisory_xact_lock(hashtext('herald.rotate.${table}')) THEN
    RETURN;
  END IF;
  FOR generation IN SELECT ((cur + k) % 4)::smallint FROM generate_series(1, 3) AS k LOOP
    part := format('${table}_g%s', generation)::regclass;
    moved := 0;
    freed := pg_relation_size(part);
    IF freed = 0 THEN
      outcome := 'clean';
      freed := 0;
      RETURN NEXT;
      CONTINUE;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s t WHERE t.state = ''ready'''
                   || ' AND (t.locked_by IS NOT NULL OR t.run_at <= now()))', part) INTO busy;
    IF busy THEN
      outcome := 'busy';
      freed := 0;
      RETURN NEXT;
      CONTINUE;
    END IF;
    -- A move is a delete and an insert of the same row (same id), never an UPDATE of gen: a claim
    -- that meets a row moved by an UPDATE fails ("tuple to be locked was already moved to another
    -- partition"), one that meets a deleted row skips it. Rows locked by anyone else stay.
    EXECUTE format(
      'WITH m AS (DELETE FROM %s t WHERE t.id = ANY(ARRAY('
      || '  SELECT s.id FROM %1$s s WHERE s.locked_by IS NULL ORDER BY s.id'
      || '   LIMIT $1 FOR UPDATE SKIP LOCKED)) RETURNING t.*)'
      || ' INSERT INTO ${table} (id, signal, receiver, payload, headers, state, attempt, run_at,'
      || '                       locked_until, locked_by, last_error, created_at, gen)'
      || ' SELECT id, signal, receiver, payload, headers, state, attempt, run_at,'
      || '        locked_until, locked_by, last_error, created_at,'
      || '        CASE WHEN state = ''dead'' THEN -1 ELSE $2 END FROM m', part)
      USING max_moved, cur;
    GET DIAGNOSTICS moved = ROW_COUNT;
    BEGIN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', part);
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', part) INTO busy;
      IF busy THEN
        outcome := 'busy';
        freed := 0;
      ELSE
        EXECUTE format('TRUNCATE %s', part);
        outcome := 'truncated';
      END IF;
    EXCEPTION WHEN lock_not_available THEN
      outcome := 'locked';
      freed := 0;
    END;
    RETURN NEXT;
    IF outcome = 'truncated' THEN
      RETURN;
    END IF;
  END LOOP;
END
$$;

-- The claim of version 2, writing the rows it locked by their physical address: the UPDATE of a
-- partitioned table probes every partition's primary key for every id (PostgreSQL 15 prunes no
-- partition of an UPDATE at run time), while a row locked by this statement cannot move, and a
-- TID scan of a partition that does not hold the address reads nothing.
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
  SELECT k.id, k.tid FROM want w CROSS JOIN LATERAL (
    SELECT t.id, t.ctid AS tid FROM ${table} t
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
 WHERE t.ctid = ANY(ARRAY(SELECT c.tid FROM c)) AND t.id + 0 = ANY(ARRAY(SELECT c.id FROM c))
RETURNING t.id, t.signal, t.receiver, t.payload::text, t.headers::text, t.attempt,
          t.created_at, t.run_at, least(now(), (
            SELECT min(a.xact_start) FROM pg_stat_get_activity(NULL) a
             WHERE a.backend_xid IS NOT NULL AND a.datid = (
               SELECT d.oid FROM pg_database d WHERE d.datname = current_database())))
$$;
