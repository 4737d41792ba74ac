\timing on
INSERT INTO herald_task_receivers (signal, receiver, last_seen_by) VALUES
 ('order.paid','mailer','timing'),('order.paid','archive','timing'),('order.shipped','ledger','timing'),('order.shipped','notifier','timing');
-- 1,000,000 ready tasks: due over the last day, in generation 0.
INSERT INTO herald_task (id, signal, receiver, payload, run_at, created_at, gen)
SELECT nextval('herald_task_ids'),
       CASE WHEN i % 10 < 6 THEN 'order.paid' ELSE 'order.shipped' END,
       CASE WHEN i % 10 < 4 THEN 'mailer' WHEN i % 10 < 6 THEN 'archive' WHEN i % 10 < 9 THEN 'ledger' ELSE 'notifier' END,
       jsonb_build_object('order', i, 'note', 'paid order ' || i),
       now() - interval '1 day' + (i * interval '86 milliseconds'),
       now() - interval '1 day' + (i * interval '86 milliseconds'), 0
  FROM generate_series(1, 1000000) i;
-- 100,000 dead letters, in the dead partition.
INSERT INTO herald_task (id, signal, receiver, payload, state, attempt, last_error, run_at, created_at, gen)
SELECT nextval('herald_task_ids'),
       CASE WHEN i % 2 = 0 THEN 'order.paid' ELSE 'order.shipped' END,
       CASE WHEN i % 2 = 0 THEN 'mailer' ELSE 'ledger' END,
       jsonb_build_object('order', i), 'dead', 10,
       CASE WHEN i % 100 = 0 THEN 'timeout after 30s' ELSE 'permanent failure: 550 mailbox unavailable' END,
       now() - interval '2 days', now() - interval '2 days', -1
  FROM generate_series(1, 100000) i;
VACUUM ANALYZE herald_task;
SELECT state, count(*) FROM herald_task GROUP BY state;
