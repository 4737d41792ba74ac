-- Herald schema version 5: delivery controls.
--
-- The receiver registry. A send writes one task for every receiver of its signal that the sending
-- node runs or declares, and for every receiver registered here by any node (each receiver once),
-- in the same statement: a node that only sends, or that was deployed before a receiver existed,
-- still writes that receiver's tasks once a node running it has registered it. Dispatchers register
-- their receivers when they start and again every minute (last_seen); a receiver leaves the
-- registry only when an operator retires it. Small and never partitioned: each send reads it by
-- its primary key.
CREATE TABLE IF NOT EXISTS ${table}_receivers (
  signal       text        NOT NULL,
  receiver     text        NOT NULL,
  last_seen    timestamptz NOT NULL DEFAULT now(),
  last_seen_by text        NOT NULL,
  PRIMARY KEY (signal, receiver)
);

-- Dedupe keys. A send with a key writes a task only for the receivers that hold no pending task
-- (ready, scheduled, running, waiting to retry) of the same signal and key. The partitions of the
-- ring cannot carry a unique index across generations (their key would have to include gen), so
-- the pending keys live in a table of their own, whose primary key makes concurrent senders of one
-- key wait for each other (INSERT ... ON CONFLICT DO NOTHING): exactly one task, no error. A key
-- row is deleted with its task's completion, dead letter or cancellation, in the same statement;
-- tasks without a key never touch the table (their writes test dedupe_key IS NOT NULL first).
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS dedupe_key text;
CREATE TABLE IF NOT EXISTS ${table}_keys (
  signal     text   NOT NULL,
  dedupe_key text   NOT NULL,
  receiver   text   NOT NULL,
  task_id    bigint NOT NULL,
  PRIMARY KEY (signal, dedupe_key, receiver)
);
CREATE INDEX IF NOT EXISTS ${name}_keys_task_idx ON ${table}_keys (task_id);

-- Version 3's acknowledgement, releasing the keys of the tasks it deletes.
CREATE OR REPLACE FUNCTION ${table}_complete_many(ids bigint[], attempts int[], owner text)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT set_config('synchronous_commit', 'off', true);
WITH done AS (
  DELETE FROM ${table} t WHERE t.id = ANY(ARRAY(SELECT ${table}_lock_tokens($1, $2, $3)))
  RETURNING t.id, t.dedupe_key
), keys AS (
  DELETE FROM ${table}_keys k
   WHERE k.task_id = ANY(ARRAY(SELECT d.id FROM done d WHERE d.dedupe_key IS NOT NULL))
)
SELECT d.id FROM done d
$$;

-- Version 4's upkeep step, moving rows by their whole record instead of a column list, so that a
-- moved task keeps every column (the dedupe key of this version, and any later one). A node of
-- version 4 that reinstalls its schema puts its own function back; upgrade every node.
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
    EXECUTE format(
      'WITH m AS (DELETE FROM %s t WHERE t.id = ANY(ARRAY('
      || '  SELECT s.id FROM %1$s s WHERE s.locked_by IS NULL ORDER BY s.id'
      || '   LIMIT $1 FOR UPDATE SKIP LOCKED)) RETURNING t.*)'
      || ' INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(m)'
      || '   || jsonb_build_object(''gen'', CASE WHEN m.state = ''dead'' THEN -1 ELSE $2 END))).*'
      || ' FROM m', part)
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

-- Ordering keys. A task with an ordering key is claimed only when no earlier task (lower id) of
-- its signal, receiver and key is still pending (ready, scheduled, leased, waiting to retry), nor
-- dead when the receiver's dead letters hold their key back. Ids come from one sequence, so for
-- sends that the application serializes per key (each commits before the next writes) id order
-- is send order. Tasks without a key skip the check, and only keyed rows enter the index.
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS order_key text;
CREATE INDEX IF NOT EXISTS ${name}_order_idx ON ${table} (signal, receiver, order_key, id)
  WHERE order_key IS NOT NULL;

-- The claim of version 4 with the ordering check, and the key among the rows it returns. A new
-- overload (the dead_blocks argument), so that nodes of version 4 keep calling theirs during a
-- rolling upgrade; theirs does not check ordering keys: upgrade every node before sending with
-- one.
CREATE OR REPLACE FUNCTION ${table}_claim(
    signals text[], receivers text[], limits int[], owner text, lease_secs float8, sinces text[],
    dead_blocks boolean[])
  RETURNS TABLE (id bigint, signal text, receiver text, payload text, headers text,
                 attempt int, created_at timestamptz, run_at timestamptz, open_since timestamptz,
                 order_key text)
  LANGUAGE sql VOLATILE
  SET enable_indexscan = on
  SET enable_bitmapscan = off
  SET enable_seqscan = off
  SET enable_sort = off
AS $$
WITH want AS (
  SELECT * FROM unnest($1, $2, $3, $6, $7) AS w(signal, receiver, n, since, dead_blocks)
), c AS MATERIALIZED (
  SELECT k.id, k.tid FROM want w CROSS JOIN LATERAL (
    SELECT t.id, t.ctid AS tid FROM ${table} t
     WHERE t.signal = w.signal AND t.receiver = w.receiver AND t.state = 'ready'
       AND t.run_at >= coalesce(w.since::timestamptz, '-infinity')
       AND t.run_at <= now() AND (t.locked_until IS NULL OR t.locked_until < now())
       AND (t.order_key IS NULL OR NOT EXISTS (
             SELECT 1 FROM ${table} e
              WHERE e.signal = t.signal AND e.receiver = t.receiver
                AND e.order_key IS NOT NULL AND e.order_key = t.order_key AND e.id < t.id
                AND (e.state = 'ready' OR (w.dead_blocks AND e.state = 'dead'))))
     ORDER BY t.run_at, t.id
     LIMIT w.n
     FOR UPDATE OF t SKIP LOCKED) k
)
UPDATE ${table} t
   SET attempt = t.attempt + 1, locked_by = $4,
       locked_until = clock_timestamp() + make_interval(secs => $5)
 WHERE t.ctid = ANY(ARRAY(SELECT c.tid FROM c)) AND t.id + 0 = ANY(ARRAY(SELECT c.id FROM c))
RETURNING t.id, t.signal, t.receiver, t.payload::text, t.headers::text, t.attempt,
          t.created_at, t.run_at, least(now(), (
            SELECT min(a.xact_start) FROM pg_stat_get_activity(NULL) a
             WHERE a.backend_xid IS NOT NULL AND a.datid = (
               SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))),
          t.order_key
$$;

-- Fleet-wide concurrency limits. The tasks leased for a limited receiver are listed here by the
-- claims that leased them: a row stands for a running task while that task is still leased under
-- the same attempt (completed, retried, dead-lettered, released or a lapsed lease all end it, with
-- no write here), and the next claim of the receiver deletes the rows that no longer stand. Only
-- limited receivers write here, and the list holds about the limit's worth of rows per receiver.
CREATE TABLE IF NOT EXISTS ${table}_running (
  signal   text   NOT NULL,
  receiver text   NOT NULL,
  task_id  bigint NOT NULL,
  attempt  int    NOT NULL,
  PRIMARY KEY (signal, receiver, task_id)
);

-- The claim for wants of which some carry a fleet-wide limit (fleet_limits, null for none). For
-- each limited receiver, in a fixed order (no two claims wait on each other in a circle), it takes
-- a transaction-scoped advisory lock that serializes the claims of that receiver across nodes; each
-- statement below then runs on a snapshot taken after the lock (READ COMMITTED), so it sees every
-- claim committed before it, counts the tasks still leased and caps its want to the room left. The
-- lock is held until the claim commits, with the rows it leased listed.
CREATE OR REPLACE FUNCTION ${table}_claim_limited(
    signals text[], receivers text[], limits int[], owner text, lease_secs float8, sinces text[],
    dead_blocks boolean[], fleet_limits int[])
  RETURNS TABLE (id bigint, signal text, receiver text, payload text, headers text,
                 attempt int, created_at timestamptz, run_at timestamptz, open_since timestamptz,
                 order_key text)
  LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
  i int;
  busy int;
  capped int[] := limits;
BEGIN
  FOR i IN SELECT x FROM generate_subscripts(signals, 1) AS x
            WHERE fleet_limits[x] IS NOT NULL
            ORDER BY signals[x], receivers[x] LOOP
    PERFORM pg_advisory_xact_lock(hashtext('herald.fleet.${table}'),
                                  hashtext(signals[i] || '/' || receivers[i]));
    DELETE FROM ${table}_running r
     WHERE r.signal = signals[i] AND r.receiver = receivers[i]
       AND NOT EXISTS (
             SELECT 1 FROM ${table} t
              WHERE t.id = r.task_id AND t.attempt = r.attempt AND t.state = 'ready'
                AND t.locked_until > clock_timestamp());
    SELECT count(*) INTO busy FROM ${table}_running r
     WHERE r.signal = signals[i] AND r.receiver = receivers[i];
    capped[i] := least(capped[i], greatest(fleet_limits[i] - busy, 0));
  END LOOP;
  RETURN QUERY
    WITH c AS (
      SELECT * FROM ${table}_claim(signals, receivers, capped, owner, lease_secs, sinces,
                                   dead_blocks)
    ), listed AS (
      INSERT INTO ${table}_running (signal, receiver, task_id, attempt)
      SELECT c.signal, c.receiver, c.id, c.attempt
        FROM c JOIN unnest(signals, receivers, fleet_limits) AS w(s, r, f)
          ON w.s = c.signal AND w.r = c.receiver
       WHERE w.f IS NOT NULL
      ON CONFLICT (signal, receiver, task_id) DO UPDATE SET attempt = excluded.attempt
    )
    SELECT c.* FROM c;
END
$$;

-- Retention (off unless a node's options ask for it): the completions of such a node keep a copy
-- of each task they delete, in the same statement, and the node deletes copies past their time in
-- bounded batches (oldest first, by the completed_at index), locking only the rows it deletes.
-- Not part of the ring: nothing here is ever claimed, and the batches give the space back.
CREATE TABLE IF NOT EXISTS ${table}_done (
  id           bigint      PRIMARY KEY,
  signal       text        NOT NULL,
  receiver     text        NOT NULL,
  payload      jsonb       NOT NULL,
  headers      jsonb       NOT NULL,
  attempt      integer     NOT NULL,
  created_at   timestamptz NOT NULL,
  completed_at timestamptz NOT NULL,
  completed_by text        NOT NULL,
  dedupe_key   text,
  order_key    text
);
CREATE INDEX IF NOT EXISTS ${name}_done_at_idx ON ${table}_done (completed_at);
CREATE INDEX IF NOT EXISTS ${name}_done_pair_idx ON ${table}_done (signal, receiver, id);

CREATE OR REPLACE FUNCTION ${table}_complete_many_kept(ids bigint[], attempts int[], owner text)
  RETURNS SETOF bigint
  LANGUAGE sql VOLATILE
  SET enable_seqscan = off
AS $$
SELECT set_config('synchronous_commit', 'off', true);
WITH done AS (
  DELETE FROM ${table} t WHERE t.id = ANY(ARRAY(SELECT ${table}_lock_tokens($1, $2, $3)))
  RETURNING t.*
), keys AS (
  DELETE FROM ${table}_keys k
   WHERE k.task_id = ANY(ARRAY(SELECT d.id FROM done d WHERE d.dedupe_key IS NOT NULL))
), kept AS (
  INSERT INTO ${table}_done (id, signal, receiver, payload, headers, attempt, created_at,
                             completed_at, completed_by, dedupe_key, order_key)
  SELECT d.id, d.signal, d.receiver, d.payload, d.headers, d.attempt, d.created_at,
         clock_timestamp(), $3, d.dedupe_key, d.order_key
    FROM done d
)
SELECT d.id FROM done d
$$;
