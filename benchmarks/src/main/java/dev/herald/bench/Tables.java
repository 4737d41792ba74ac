package dev.herald.bench;

/**
 * DDL and backlog statements of the harness: business tables, Herald backlogs, the peer's table.
 */
final class Tables {

  private Tables() {}

  /** The business table every enqueue transaction writes one row into. */
  static final String ORDER = "bench_order";

  /** The fair baseline: a hand-written outbox row, a plain INSERT of the same JSON payload. */
  static final String OUTBOX = "bench_outbox";

  /** db-scheduler's table, under its default name. */
  static final String PEER = "scheduled_tasks";

  /** The peer's one-time task name. */
  static final String PEER_TASK = "order-placed";

  static String[] business() {
    return new String[] {
      "DROP TABLE IF EXISTS " + ORDER + ", " + OUTBOX,
      "CREATE TABLE "
          + ORDER
          + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ref text NOT NULL,"
          + " amount_cents bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
      "CREATE TABLE "
          + OUTBOX
          + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic text NOT NULL,"
          + " payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
    };
  }

  /**
   * db-scheduler 16.x's PostgreSQL table definition (its documented {@code postgresql_tables.sql}:
   * columns, primary key and its three indexes).
   */
  static String[] peer() {
    return new String[] {
      "DROP TABLE IF EXISTS " + PEER,
      "CREATE TABLE "
          + PEER
          + " (task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,"
          + " execution_time timestamp with time zone NOT NULL, picked boolean NOT NULL,"
          + " picked_by text, last_success timestamp with time zone,"
          + " last_failure timestamp with time zone, consecutive_failures int,"
          + " last_heartbeat timestamp with time zone, version bigint NOT NULL,"
          + " priority smallint, PRIMARY KEY (task_name, task_instance))",
      "CREATE INDEX execution_time_idx ON " + PEER + " (execution_time)",
      "CREATE INDEX last_heartbeat_idx ON " + PEER + " (last_heartbeat)",
      "CREATE INDEX priority_execution_time_idx ON " + PEER + " (priority DESC, execution_time ASC)"
    };
  }

  /** Drops a Herald task table with the tables beside it (pending keys, receiver registry). */
  static String dropHerald(String table) {
    return "DROP TABLE IF EXISTS " + table + ", " + table + "_keys, " + table + "_receivers";
  }

  /** {@code n} ready Herald tasks with the JSON payload {@link OrderPlaced} encodes to. */
  static String heraldBacklog(String table, String signal, String receiver, long n) {
    return heraldBacklog(table, signal, receiver, n, 0);
  }

  /**
   * The same backlog with ordering keys: task {@code i} gets key {@code i % keys}, so the keys
   * interleave as sends of many aggregates do (none when {@code keys} is 0).
   */
  static String heraldBacklog(String table, String signal, String receiver, long n, int keys) {
    return "INSERT INTO "
        + table
        + " (signal, receiver, order_key, payload) SELECT '"
        + signal
        + "', '"
        + receiver
        + "', "
        + (keys > 0 ? "'k' || (i % " + keys + ")" : "NULL")
        + ", jsonb_build_object('seq', i, 'orderRef', 'order-' || i)"
        + " FROM generate_series(1, "
        + n
        + ") AS i";
  }

  /**
   * {@code n} due executions of the peer's one-time task, with the same JSON payload as task data
   * (the peer runs with a JSON serializer), with the columns its client's INSERT sets (priority
   * off).
   */
  static String peerBacklog(long n) {
    return "INSERT INTO "
        + PEER
        + " (task_name, task_instance, task_data, execution_time, picked, version) SELECT '"
        + PEER_TASK
        + "', i::text,"
        + " convert_to(json_build_object('seq', i, 'orderRef', 'order-' || i)::text, 'UTF8'),"
        + " now() - interval '1 second', false, 1 FROM generate_series(1, "
        + n
        + ") AS i";
  }
}
