-- Herald schema version 1: the task table.
-- ${table} and ${name} are replaced by the validated table name (qualified / unqualified).
-- Claims write attempt, locked_until and locked_by only: none of them is indexed and fillfactor 50
-- leaves heap room, so claim UPDATEs are HOT and never touch an index.
CREATE TABLE IF NOT EXISTS ${table} (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  signal       text        NOT NULL,
  receiver     text        NOT NULL,
  payload      jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  state        text        NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'dead')),
  attempt      integer     NOT NULL DEFAULT 0,
  run_at       timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  locked_by    text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50,
        autovacuum_vacuum_scale_factor = 0.0,
        autovacuum_vacuum_threshold = 1000,
        autovacuum_vacuum_cost_delay = 0,
        autovacuum_analyze_scale_factor = 0.02);
-- The claim path: ready rows only, per receiver, oldest due first.
CREATE INDEX IF NOT EXISTS ${name}_claim_idx ON ${table} (signal, receiver, run_at, id)
  WHERE state = 'ready';
-- Dead-letter listing and redrive.
CREATE INDEX IF NOT EXISTS ${name}_dead_idx ON ${table} (id) WHERE state = 'dead';
