\timing on
INSERT INTO herald_task_receivers (signal, receiver, last_seen_by) VALUES
 ('order.paid','mailer','timing'),('order.paid','archive','timing'),('order.shipped','ledger','timing'),('order.shipped','notifier','timing');
-- 1,000,000 ready tasks: due over the last day, in generation 0; a tenth (order.paid/mailer)
-- sent with dedupe key order-<i>, pending in herald_task_keys.
INSERT INTO herald_task (id, signal, receiver, payload, run_at, created_at, gen, dedupe_key)
SELECT nextval('herald_task_ids'),
       CASE WHEN i % 10 < 6 THEN 'order.paid' ELSE 'order.shipped' END,
       CASE WHEN i % 10 < 4 THEN 'mailer' WHEN i % 10 < 6 THEN 'archive' WHEN i % 10 < 9 THEN 'ledger' ELSE 'notifier' END,
       jsonb_build_object('order', i, 'note', 'paid order ' || i),
       now() - interval '1 day' + (i * interval '86 milliseconds'),
       now() - interval '1 day' + (i * interval '86 milliseconds'), 0,
       CASE WHEN i % 10 = 0 THEN 'order-' || i END
  FROM generate_series(1, 1000000) i;
INSERT INTO herald_task_keys (signal, dedupe_key, receiver, task_id)
SELECT signal, dedupe_key, receiver, id FROM herald_task WHERE dedupe_key IS NOT NULL;
-- 100,000 dead letters, in the dead partition; a fifth with dedupe key refund-<i>, and 1,000
-- (order.shipped/ledger) sharing the key nightly-export.
INSERT INTO herald_task (id, signal, receiver, payload, state, attempt, last_error, run_at, created_at, gen, dedupe_key)
SELECT nextval('herald_task_ids'),
       CASE WHEN i % 2 = 0 THEN 'order.paid' ELSE 'order.shipped' END,
       CASE WHEN i % 2 = 0 THEN 'mailer' ELSE 'ledger' END,
       jsonb_build_object('order', i), 'dead', 10,
       CASE WHEN i % 100 = 0 THEN 'timeout after 30s' ELSE 'permanent failure: 550 mailbox unavailable' END,
       now() - interval '2 days', now() - interval '2 days', -1,
       CASE WHEN i % 5 = 0 THEN 'refund-' || i WHEN i % 100 = 1 THEN 'nightly-export' END
  FROM generate_series(1, 100000) i;
-- 100,000 kept completed tasks (retention) of order.paid/mailer with dedupe keys order-10 to
-- order-1000000: each pending keyed task above was sent with its key once before.
INSERT INTO herald_task_done (id, signal, receiver, payload, headers, attempt, created_at, completed_at, completed_by, dedupe_key)
SELECT nextval('herald_task_ids'), 'order.paid', 'mailer', jsonb_build_object('order', i * 10), '{}', 1,
       now() - interval '3 days', now() - interval '3 days' + (i * interval '1 second'), 'timing',
       'order-' || (i * 10)
  FROM generate_series(1, 100000) i;
VACUUM ANALYZE herald_task;
VACUUM ANALYZE herald_task_done;
VACUUM ANALYZE herald_task_keys;
SELECT state, count(*), count(dedupe_key) AS keyed FROM herald_task GROUP BY state
UNION ALL SELECT 'done (kept)', count(*), count(dedupe_key) FROM herald_task_done;
