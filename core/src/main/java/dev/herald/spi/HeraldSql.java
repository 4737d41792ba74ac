package dev.herald.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Herald's PostgreSQL statements for one table, written once for every adapter (both drivers take
 * {@code $n} parameters). Adapters own binding, row mapping and their driver's fast paths.
 *
 * <p>Every write to a claimed task matches on {@code (id, attempt, locked_by)}: the claim token. A
 * claim increments {@code attempt}, so a dispatcher whose lease ran out and whose task was claimed
 * again can no longer complete, retry, release or extend it.
 */
public final class HeraldSql {

  /** Schema scripts in order; each is idempotent. */
  static final List<String> SCHEMA_SCRIPTS =
      List.of(
          "V1__task_table.sql",
          "V2__claim_function.sql",
          "V3__token_functions.sql",
          "V4__generation_ring.sql",
          "V5__delivery_controls.sql",
          "V6__receiver_stats.sql",
          "V7__task_find.sql");

  /** Schema version this release writes. */
  public static final int SCHEMA_VERSION = SCHEMA_SCRIPTS.size();

  // A one-time filter that makes the statement's own transaction commit without waiting for its
  // WAL flush. Only dispatcher bookkeeping uses it (acknowledgements, retries, dead letters,
  // releases, lease extensions): losing one in a server crash reverts the row to leased, and the
  // task runs again after its lease (at least once). On a durable server these writes would
  // otherwise queue behind every application commit's flush. The sender's transaction is the
  // application's and is never touched; claims stay durable (see V2__claim_function.sql). The
  // schema functions of V3 do the same for the token-locked multi-row writes.
  private static final String ASYNC_COMMIT =
      "(SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

  private static final String TASK_COLUMNS =
      """
      id, signal, receiver, state, attempt, run_at, created_at, last_error, payload::text, \
      dedupe_key, locked_by, locked_until""";

  // A kept completed task in the shape of TASK_COLUMNS: run_at is the completion time.
  private static final String DONE_COLUMNS =
      """
      id, signal, receiver, 'done', attempt, completed_at, created_at, NULL::text, payload::text, \
      dedupe_key, NULL::text, NULL::timestamptz""";

  /** {@link SenderTransaction#taskInsertMany}: one task per receiver from one statement. */
  public final String taskInsertMany;

  /**
   * {@link TaskStore#taskNotify}: wakes listeners of the table's channel when the transaction that
   * runs it commits (the sender's own, or a statement of its own after the sender committed).
   */
  public final String taskNotify;

  /** {@link TaskStore#taskClaimBatch}. */
  public final String taskClaimBatch;

  /** {@link TaskStore#taskCompleteMany}. */
  public final String taskCompleteMany;

  /** {@link TaskStore#taskRetryLater}. */
  public final String taskRetryLater;

  /** {@link SenderTransaction#taskInsertMany} answering each receiver's task id. */
  public final String taskInsertManyReturning;

  /**
   * {@link SenderTransaction#taskInsertMany} with a dedupe key: one row per receiver, the id null
   * where the key was pending.
   */
  public final String taskInsertManyDeduped;

  /** {@link TaskStore#taskClaimBatch} when a want carries a fleet-wide limit. */
  public final String taskClaimBatchLimited;

  /** {@link TaskStore#taskList} of kept completed tasks (state {@code done}). */
  public final String taskListDone;

  /** {@link TaskStore#taskCompleteMany} keeping a copy of each task (retention). */
  public final String taskCompleteManyKept;

  /** {@link TaskStore#taskExpire}. */
  public final String taskExpire;

  /** {@link TaskStore#taskCancel}. */
  public final String taskCancel;

  /** {@link TaskStore#taskDeadLetter}. */
  public final String taskDeadLetter;

  /** {@link TaskStore#taskRelease}. */
  public final String taskRelease;

  /** {@link TaskStore#taskExtendLease}. */
  public final String taskExtendLease;

  /** {@link TaskStore#taskReleaseOwned}. */
  public final String taskReleaseOwned;

  /** {@link TaskStore#taskList}. */
  public final String taskList;

  /** {@link TaskStore#taskFind}. */
  public final String taskFind;

  /** {@link TaskStore#taskCountReady}. */
  public final String taskCountReady;

  /** {@link TaskStore#taskStats}. */
  public final String taskStats;

  /** {@link TaskStore#taskRequeue}. */
  public final String taskRequeue;

  /** {@link TaskStore#taskPurge}. */
  public final String taskPurge;

  /** {@link TaskStore#taskDeadLetterReady}. */
  public final String taskDeadLetterReady;

  /** {@link TaskStore#taskRotate}. */
  public final String taskRotate;

  /** {@link TaskStore#receiverRegister}. */
  public final String receiverRegister;

  /** {@link TaskStore#receiverRetire}. */
  public final String receiverRetire;

  /** {@link TaskStore#receiverList}. */
  public final String receiverList;

  private final TableName table;
  private final String schemaScript;

  private HeraldSql(TableName table) {
    this.table = table;
    // Read once here, on the builder's thread: reading a jar later would block an event loop.
    this.schemaScript = buildSchemaScript(table);
    String t = table.qualified();
    // Due from the moment the row is written (clock_timestamp()), not from the transaction's
    // start: by then the transaction has written, so a claim that runs before it commits counts
    // it in ClaimedTask.openSince (a transaction that only read so far does not count).
    // Payload and headers are JSON text already, bound as text and cast here: a driver that sees a
    // json-typed parameter may encode the given string again (Vert.x binds it as a JSON string).
    // A delayed send adds its delay ($5, seconds) on the same clock; an earliest instant ($6,
    // epoch seconds, or null) is the application's, and greatest() ignores a null.
    // The receivers are the sender's own ($4) and those of the registry (V5__delivery_controls.sql)
    // it does not name: one primary-key range read of a small table per send, and UNION ALL, which
    // needs no sort or hash to drop duplicates. A send without a dedupe key never touches the keys
    // table.
    taskInsertMany =
        """
        INSERT INTO %1$s (signal, receiver, payload, headers, run_at, order_key)
        SELECT $1, r.receiver, $2::text::jsonb, $3::text::jsonb,
               greatest(clock_timestamp() + $5::float8 * interval '1 second',
                        to_timestamp($6::float8)), $7::text
        FROM (SELECT unnest($4::text[])
              UNION ALL
              SELECT g.receiver FROM %1$s_receivers g
               WHERE g.signal = $1 AND g.receiver <> ALL($4::text[])) AS r(receiver)"""
            .formatted(t);
    taskInsertManyReturning = taskInsertMany + "\nRETURNING id, receiver";
    // With a dedupe key ($8): ids first, then the keys (ON CONFLICT waits for a concurrent sender
    // of the same key and then skips), then the tasks whose key was taken. One row per receiver,
    // its id null where a pending task already held the key.
    taskInsertManyDeduped =
        """
        WITH r AS (
          SELECT x.receiver, nextval('%1$s_ids') AS id
            FROM (SELECT unnest($4::text[])
                  UNION ALL
                  SELECT g.receiver FROM %1$s_receivers g
                   WHERE g.signal = $1 AND g.receiver <> ALL($4::text[])) AS x(receiver)
        ), k AS (
          INSERT INTO %1$s_keys (signal, dedupe_key, receiver, task_id)
          SELECT $1, $8::text, r.receiver, r.id FROM r
          ON CONFLICT DO NOTHING RETURNING task_id
        ), w AS (
          INSERT INTO %1$s (id, signal, receiver, payload, headers, run_at, order_key, dedupe_key)
          SELECT r.id, $1, r.receiver, $2::text::jsonb, $3::text::jsonb,
                 greatest(clock_timestamp() + $5::float8 * interval '1 second',
                          to_timestamp($6::float8)), $7::text, $8::text
            FROM r WHERE r.id IN (SELECT k.task_id FROM k)
          RETURNING id
        )
        SELECT CASE WHEN r.id IN (SELECT w.id FROM w) THEN r.id END, r.receiver FROM r"""
            .formatted(t);
    taskNotify = "SELECT pg_notify($1, '')";
    // The claim is a schema function (V2__claim_function.sql), which pins its plan and explains
    // the statement. Its arguments are the unnest()ed wants, the owner, the lease in seconds, the
    // wants' lower bounds on run_at and whether their dead letters hold back their ordering keys
    // (V5__delivery_controls.sql).
    taskClaimBatch =
        """
        SELECT * FROM %s_claim($1::text[], $2::text[], $3::int[], $4::text, $5::float8, $6::text[],
                               $7::boolean[])"""
            .formatted(t);
    // With a fleet-wide limit on some want ($8, null where none): the limited claim, which
    // serializes the claims of each limited receiver and caps them (V5__delivery_controls.sql).
    taskClaimBatchLimited =
        """
        SELECT * FROM %s_claim_limited($1::text[], $2::text[], $3::int[], $4::text, $5::float8,
                                       $6::text[], $7::boolean[], $8::int[])"""
            .formatted(t);
    // The token-locked multi-row writes are schema functions too (V3__token_functions.sql),
    // which pin their plans to primary-key probes and commit asynchronously. Their arguments are
    // the tokens' ids, attempts and owner, then the write's own value.
    taskCompleteMany =
        "SELECT * FROM %s_complete_many($1::bigint[], $2::int[], $3::text)".formatted(t);
    // A unique equality on the primary key stays an index probe whatever the statistics.
    taskRetryLater =
        """
        UPDATE %s SET run_at = now() + make_interval(secs => $4), locked_until = NULL,
                      locked_by = NULL, last_error = $5
         WHERE id = $1 AND attempt = $2 AND locked_by = $3 AND %s"""
            .formatted(t, ASYNC_COMMIT);
    // A dead letter is no longer pending: its dedupe key is released in the same statement.
    taskDeadLetter =
        """
        WITH dead AS (
          UPDATE %1$s SET state = 'dead', locked_until = NULL, locked_by = NULL, last_error = $4
           WHERE id = $1 AND attempt = $2 AND locked_by = $3 AND %2$s
          RETURNING id, dedupe_key
        ), keys AS (%3$s)
        SELECT count(*) FROM dead"""
            .formatted(t, ASYNC_COMMIT, releaseKeys(t, "dead"));
    taskRelease =
        "SELECT * FROM %s_release($1::bigint[], $2::int[], $3::text, $4::int)".formatted(t);
    taskExtendLease =
        "SELECT * FROM %s_extend_lease($1::bigint[], $2::int[], $3::text, $4::float8)".formatted(t);
    // Runs once at shutdown, after every task this node knows of was recorded or released: what
    // is left was leased by claims whose answer never arrived (timed out, connection lost).
    taskReleaseOwned =
        """
        WITH l AS MATERIALIZED (
          SELECT id FROM %1$s WHERE locked_by = $1 ORDER BY id FOR UPDATE)
        UPDATE %1$s t SET locked_until = NULL, locked_by = NULL
         WHERE t.id = ANY(ARRAY(SELECT id FROM l)) AND %2$s"""
            .formatted(t, ASYNC_COMMIT);
    taskList =
        """
        SELECT %s FROM %s
         WHERE state = $1 AND ($2::text IS NULL OR signal = $2)
           AND ($3::text IS NULL OR receiver = $3) AND id > $4
         ORDER BY id LIMIT $5"""
            .formatted(TASK_COLUMNS, t);
    // Kept completed tasks (retention) in the task list's shape: run_at is the completion time.
    taskListDone =
        """
        SELECT %s FROM %s_done
         WHERE $1::text = 'done' AND ($2::text IS NULL OR signal = $2)
           AND ($3::text IS NULL OR receiver = $3) AND id > $4
         ORDER BY id LIMIT $5"""
            .formatted(DONE_COLUMNS, t);
    // Four index reads, each stopped at the limit: the ids ($1) through the primary keys of every
    // partition and of the kept copies, and one signal's key ($2, $3) through the keyed rows'
    // indexes (V7__task_find.sql), walked newest first. A null signal and key match nothing, an
    // empty array no id. A completion moves a task to its kept copy in one statement, so a
    // snapshot holds one of the two; DISTINCT ON drops a task that both ways found.
    taskFind =
        """
        SELECT DISTINCT ON (id) * FROM (
          SELECT %2$s FROM %1$s WHERE id = ANY($1::bigint[])
          UNION ALL
          (SELECT %2$s FROM %1$s WHERE signal = $2 AND dedupe_key = $3 ORDER BY id DESC LIMIT $4)
          UNION ALL
          SELECT %3$s FROM %1$s_done WHERE id = ANY($1::bigint[])
          UNION ALL
          (SELECT %3$s FROM %1$s_done WHERE signal = $2 AND dedupe_key = $3
            ORDER BY id DESC LIMIT $4)
        ) f
         ORDER BY id DESC LIMIT $4"""
            .formatted(t, TASK_COLUMNS, DONE_COLUMNS);
    taskCompleteManyKept =
        "SELECT * FROM %s_complete_many_kept($1::bigint[], $2::int[], $3::text)".formatted(t);
    // Oldest first through the completed_at index, at most $2 rows: short, and the rows it locks
    // are only those it deletes (kept copies are never written again).
    taskExpire =
        """
        DELETE FROM %1$s_done WHERE id = ANY(ARRAY(
          SELECT id FROM %1$s_done WHERE completed_at < now() - $1::float8 * interval '1 second'
           ORDER BY completed_at LIMIT $2)) AND %2$s"""
            .formatted(t, ASYNC_COMMIT);
    taskCountReady =
        """
        SELECT signal, receiver, count(*) FROM %s WHERE state = 'ready'
         GROUP BY signal, receiver ORDER BY signal, receiver"""
            .formatted(t);
    // A schema function (V6__receiver_stats.sql), which pins every count to an index walk that
    // stops at the cap. Its arguments are the pairs named besides the registry's, and the cap.
    taskStats =
        """
        SELECT signal, receiver, ready, oldest_ready_micros, due, running, scheduled, dead
          FROM %s_stats($1::text[], $2::text[], $3::int)"""
            .formatted(t);
    String deadFilter =
        """
         WHERE state = 'dead' AND ($1::bigint[] IS NULL OR id = ANY($1))
           AND ($2::text IS NULL OR signal = $2) AND ($3::text IS NULL OR receiver = $3)""";
    taskRequeue =
        "UPDATE %s SET state = 'ready', attempt = 0, run_at = now()\n".formatted(t) + deadFilter;
    taskPurge = "DELETE FROM %s\n".formatted(t) + deadFilter;
    taskDeadLetterReady =
        """
        WITH dead AS (
          UPDATE %1$s SET state = 'dead', last_error = $3
           WHERE state = 'ready' AND signal = $1 AND receiver = $2
             AND (locked_until IS NULL OR locked_until < now())
          RETURNING id, dedupe_key
        ), keys AS (%2$s)
        SELECT count(*) FROM dead"""
            .formatted(t, releaseKeys(t, "dead"));
    // Cancels ready tasks nobody runs (a leased one waits for its lease to lapse), by id or by
    // the dedupe key of a signal; a claim holding a row makes this wait and then skip it.
    taskCancel =
        """
        WITH gone AS (
          DELETE FROM %1$s t
           WHERE t.id = ANY(ARRAY(
                   SELECT x FROM unnest($1::bigint[]) AS x
                   UNION ALL
                   SELECT k.task_id FROM %1$s_keys k WHERE k.signal = $2 AND k.dedupe_key = $3))
             AND t.state = 'ready' AND (t.locked_until IS NULL OR t.locked_until < now())
          RETURNING t.id, t.dedupe_key
        ), keys AS (%2$s)
        SELECT id FROM gone"""
            .formatted(t, releaseKeys(t, "gone"));
    // Registration commits asynchronously like other dispatcher bookkeeping: one lost in a server
    // crash is written again within a minute.
    receiverRegister =
        """
        INSERT INTO %1$s_receivers AS g (signal, receiver, last_seen_by)
        SELECT s, r, $3::text FROM unnest($1::text[], $2::text[]) AS x(s, r) WHERE %2$s
        ON CONFLICT (signal, receiver)
        DO UPDATE SET last_seen = now(), last_seen_by = excluded.last_seen_by"""
            .formatted(t, ASYNC_COMMIT);
    receiverRetire = "DELETE FROM %s_receivers WHERE signal = $1 AND receiver = $2".formatted(t);
    receiverList =
        """
        SELECT signal, receiver, last_seen, last_seen_by FROM %s_receivers
         ORDER BY signal, receiver"""
            .formatted(t);
    // A schema function (V4__generation_ring.sql): its checks, moves and truncation must share one
    // transaction, and it takes its lock with a lock timeout of its own.
    taskRotate =
        "SELECT generation::int, outcome, moved, freed FROM %s_rotate($1::int)".formatted(t);
  }

  // Deletes the key rows of the tasks a CTE named `written` returned (id, dedupe_key): an index
  // probe per keyed task, nothing for tasks without a key.
  private static String releaseKeys(String t, String written) {
    return """
        DELETE FROM %1$s_keys k
         WHERE k.task_id = ANY(ARRAY(SELECT w.id FROM %2$s w WHERE w.dedupe_key IS NOT NULL))"""
        .formatted(t, written);
  }

  /**
   * The statements for one table.
   *
   * @param table the validated table name
   * @return the statements
   */
  public static HeraldSql forTable(TableName table) {
    return new HeraldSql(Objects.requireNonNull(table, "table"));
  }

  /**
   * The table these statements address.
   *
   * @return the table name
   */
  public TableName table() {
    return table;
  }

  /**
   * The whole schema as one multi-statement script: run it with the simple query protocol, which
   * executes it as one implicit transaction. An advisory lock serialises concurrent installs.
   *
   * @return the script
   */
  public String schemaScript() {
    return schemaScript;
  }

  private static String buildSchemaScript(TableName table) {
    StringBuilder script = new StringBuilder();
    script
        .append("SELECT pg_advisory_xact_lock(hashtext('herald.schema.")
        .append(table.qualified())
        .append("'));\n");
    for (String name : SCHEMA_SCRIPTS) {
      script.append(resource(name)).append('\n');
    }
    return script
        .toString()
        .replace("${table}", table.qualified())
        .replace("${name}", table.table());
  }

  private static String resource(String name) {
    try (InputStream in = HeraldSql.class.getResourceAsStream("/dev/herald/schema/" + name)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
