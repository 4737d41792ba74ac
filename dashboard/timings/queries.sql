\set QUIET on
\pset pager off
PREPARE stats(text[], text[], int) AS
  SELECT signal, receiver, ready, oldest_ready_micros, due, running, scheduled, dead
    FROM herald_task_stats($1, $2, $3);
PREPARE list(text, text, text, bigint, int) AS
  SELECT id, signal, receiver, state, attempt, run_at, created_at, last_error, payload::text,
         dedupe_key, locked_by, locked_until FROM herald_task
   WHERE state = $1 AND ($2::text IS NULL OR signal = $2)
     AND ($3::text IS NULL OR receiver = $3) AND id > $4
   ORDER BY id LIMIT $5;
PREPARE find(bigint[], text, text, int) AS
  SELECT DISTINCT ON (id) * FROM (
    SELECT id, signal, receiver, state, attempt, run_at, created_at, last_error, payload::text,
           dedupe_key, locked_by, locked_until FROM herald_task WHERE id = ANY($1::bigint[])
    UNION ALL
    (SELECT id, signal, receiver, state, attempt, run_at, created_at, last_error, payload::text,
           dedupe_key, locked_by, locked_until FROM herald_task
      WHERE signal = $2 AND dedupe_key = $3 ORDER BY id DESC LIMIT $4)
    UNION ALL
    SELECT id, signal, receiver, 'done', attempt, completed_at, created_at, NULL::text,
           payload::text, dedupe_key, NULL::text, NULL::timestamptz
      FROM herald_task_done WHERE id = ANY($1::bigint[])
    UNION ALL
    (SELECT id, signal, receiver, 'done', attempt, completed_at, created_at, NULL::text,
           payload::text, dedupe_key, NULL::text, NULL::timestamptz
      FROM herald_task_done WHERE signal = $2 AND dedupe_key = $3
      ORDER BY id DESC LIMIT $4)
  ) f
   ORDER BY id DESC LIMIT $4;
PREPARE requeue(bigint[], text, text) AS
  UPDATE herald_task SET state = 'ready', attempt = 0, run_at = now()
   WHERE state = 'dead' AND ($1::bigint[] IS NULL OR id = ANY($1))
     AND ($2::text IS NULL OR signal = $2) AND ($3::text IS NULL OR receiver = $3);
PREPARE purge(bigint[], text, text) AS
  DELETE FROM herald_task
   WHERE state = 'dead' AND ($1::bigint[] IS NULL OR id = ANY($1))
     AND ($2::text IS NULL OR signal = $2) AND ($3::text IS NULL OR receiver = $3);
\timing on
\echo == stats, cap 10000 (x3)
EXECUTE stats('{}', '{}', 10000) \g /dev/null
EXECUTE stats('{}', '{}', 10000) \g /dev/null
EXECUTE stats('{}', '{}', 10000);
\echo == dead page 1 (50 rows, no filter) x3
EXECUTE list('dead', NULL, NULL, 0, 50) \g /dev/null
EXECUTE list('dead', NULL, NULL, 0, 50) \g /dev/null
EXECUTE list('dead', NULL, NULL, 0, 50) \g /dev/null
\echo == dead page after id 1090001 (deep page)
EXECUTE list('dead', NULL, NULL, 1090001, 50) \g /dev/null
EXECUTE list('dead', NULL, NULL, 1090001, 50) \g /dev/null
\echo == dead page of one pair (order.shipped/ledger), first and deep
EXECUTE list('dead', 'order.shipped', 'ledger', 0, 50) \g /dev/null
EXECUTE list('dead', 'order.shipped', 'ledger', 1090001, 50) \g /dev/null
\echo == reason filter: scan of 200-row batches, and the 10000-row bulk scan
EXECUTE list('dead', NULL, NULL, 0, 200) \g /dev/null
EXECUTE list('dead', NULL, NULL, 0, 10000) \g /dev/null
EXECUTE list('dead', NULL, NULL, 0, 10000) \g /dev/null
\echo == task lookup by id: dead id, ready id, and a dead id looked up among ready (worst case)
EXECUTE list('dead', NULL, NULL, 1050000, 1) \g /dev/null
EXECUTE list('ready', NULL, NULL, 500000, 1) \g /dev/null
EXECUTE list('ready', NULL, NULL, 1050000, 1) \g /dev/null
EXECUTE list('ready', NULL, NULL, 1050000, 1) \g /dev/null
\echo == taskFind by dedupe key (limit 50): pending key with a kept earlier send, dead key, unknown key (x3 each)
EXECUTE find('{}', 'order.paid', 'order-500000', 50) \g /dev/null
EXECUTE find('{}', 'order.paid', 'order-500000', 50) \g /dev/null
EXECUTE find('{}', 'order.paid', 'order-500000', 50);
EXECUTE find('{}', 'order.paid', 'refund-50000', 50) \g /dev/null
EXECUTE find('{}', 'order.paid', 'refund-50000', 50) \g /dev/null
EXECUTE find('{}', 'order.paid', 'refund-50000', 50) \g /dev/null
EXECUTE find('{}', 'order.shipped', 'no-such-key', 50) \g /dev/null
EXECUTE find('{}', 'order.shipped', 'no-such-key', 50) \g /dev/null
EXECUTE find('{}', 'order.shipped', 'no-such-key', 50) \g /dev/null
\echo == taskFind of a key 1000 dead letters share, limit 50
EXECUTE find('{}', 'order.shipped', 'nightly-export', 50) \g /dev/null
EXECUTE find('{}', 'order.shipped', 'nightly-export', 50) \g /dev/null
\echo == taskFind by id: ready deep in the backlog, dead, kept completed, unknown
EXECUTE find('{999990}', NULL, NULL, 1) \g /dev/null
EXECUTE find('{999990}', NULL, NULL, 1) \g /dev/null
EXECUTE find('{1050000}', NULL, NULL, 1) \g /dev/null
EXECUTE find('{1150000}', NULL, NULL, 1) \g /dev/null
EXECUTE find('{9999999}', NULL, NULL, 1) \g /dev/null
\echo == taskFind, generic plan, which a driver prepared statement may switch to after five runs
SET plan_cache_mode = force_generic_plan;
EXECUTE find('{}', 'order.paid', 'order-500000', 50) \g /dev/null
EXECUTE find('{}', 'order.shipped', 'nightly-export', 50) \g /dev/null
EXECUTE find('{999990}', NULL, NULL, 1) \g /dev/null
RESET plan_cache_mode;
\echo == ready page (readyTasks) 50 rows
EXECUTE list('ready', NULL, NULL, 0, 50) \g /dev/null
\echo == requeue one id / purge one id (rolled back)
BEGIN;
EXECUTE requeue('{1050002}', NULL, NULL);
EXECUTE purge('{1050004}', NULL, NULL);
\echo == requeue-all of a pair with 50000 dead letters (rolled back)
EXECUTE requeue(NULL, 'order.paid', 'mailer');
ROLLBACK;
\timing off
\echo == plans
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE list('dead', NULL, NULL, 1090001, 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE list('dead', 'order.shipped', 'ledger', 1090001, 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE list('ready', NULL, NULL, 1050000, 1);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE find('{}', 'order.paid', 'order-500000', 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE find('{}', 'order.shipped', 'nightly-export', 50);
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE find('{1050000}', NULL, NULL, 1);
SET plan_cache_mode = force_generic_plan;
\echo == generic plan
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE find('{}', 'order.paid', 'order-500000', 50);
