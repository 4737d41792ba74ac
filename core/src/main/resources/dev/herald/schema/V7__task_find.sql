-- Herald schema version 7: finding a signal's tasks by dedupe key, whatever their state.
--
-- ${table}_keys holds pending keys only (version 5): a dead letter, a requeued dead letter and a
-- kept completed task still carry their key in column dedupe_key, and an operator asking "what
-- happened to the send with key X?" needs those most. These indexes hold keyed rows only, so tasks
-- sent without a key pay nothing; a lookup walks one signal's entries of one key, newest first,
-- and stops at its limit. Claims write no indexed column (attempt, locked_until and locked_by stay
-- out of every index), so they stay HOT. A keyed task's insert writes one entry more; its retries
-- and dead letter, which change indexed columns of the claim index anyway, write one each. On a
-- large existing table, building the index blocks writes to the table while it reads the keyed
-- rows (CONCURRENTLY is not possible on a partitioned table).
CREATE INDEX IF NOT EXISTS ${name}_dedupe_idx ON ${table} (signal, dedupe_key, id)
  WHERE dedupe_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${name}_done_key_idx ON ${table}_done (signal, dedupe_key, id)
  WHERE dedupe_key IS NOT NULL;
