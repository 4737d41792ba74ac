package dev.herald.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import reactor.core.publisher.Mono;

/**
 * A system under an open-loop load, as the latency and soak workloads drive it: a running
 * dispatcher whose no-op receiver reports each task's sequence number as it starts, a {@link
 * OpenLoop.Sender} whose sends are business transactions (an order row plus the task per task, one
 * commit per transaction), and the task table, which {@link #close()} drops.
 */
final class UnderLoad implements AutoCloseable {

  /** Sender threads of the peer: its sends block on JDBC. */
  static final int PEER_SENDERS = 16;

  /** Connections of Herald's pool, shared by its senders and its dispatcher. */
  static final int POOL = Integer.getInteger("herald.bench.pool", 16);

  final OpenLoop.Sender sender;

  /** The task table. */
  final String table;

  /** The server. */
  final BenchDatabase db;

  private final AutoCloseable stop;

  private UnderLoad(OpenLoop.Sender sender, String table, BenchDatabase db, AutoCloseable stop) {
    this.sender = sender;
    this.table = table;
    this.db = db;
    this.stop = stop;
  }

  /**
   * Herald on one adapter: a fresh task table, a pool of {@link #POOL}, the given options, started;
   * a transaction of one task is {@code orderAndSend}, of several {@code ordersAndSends},
   * subscribed without blocking.
   */
  static UnderLoad herald(
      BenchDatabase db,
      String driver,
      String table,
      HeraldOptions options,
      ReceiverOptions receiverOptions,
      LongConsumer received) {
    db.execute(Tables.business());
    db.execute(Tables.dropHerald(table));
    HeraldSide side = HeraldSide.create(driver, db, table, POOL);
    DispatcherCalls calls = new DispatcherCalls();
    if (Boolean.getBoolean("herald.bench.tracePositions")) {
      calls.trace(side.label(), 10);
    }
    long started = System.nanoTime();
    Herald herald = Herald.builder(calls.wrap(side.store())).options(options).build();
    herald.installSchema().block(Duration.ofSeconds(60));
    Signal<OrderPlaced> signal = herald.signal(Workloads.SIGNAL, OrderPlaced.class);
    signal.connect(
        Workloads.RECEIVER,
        receiverOptions,
        d -> {
          received.accept(d.payload().seq());
          return Mono.empty();
        });
    herald.start();
    OpenLoop.Sender sender =
        (seq, count, committed, failed) ->
            (count == 1
                    ? side.orderAndSend(seq, signal, OrderPlaced.of(seq))
                    : side.ordersAndSends(seq, count, signal))
                .subscribe(null, failed, committed);
    return new UnderLoad(
        sender,
        table,
        db,
        () -> {
          herald.close().block(Duration.ofSeconds(60));
          side.close();
          System.err.println(
              "[dispatcher] "
                  + side.label()
                  + ": "
                  + calls.summary((System.nanoTime() - started) / 1e9));
        });
  }

  /**
   * db-scheduler in its drain configuration, started; each transaction runs on one of {@link
   * #PEER_SENDERS} JDBC threads: per task, its order row and {@code scheduler.schedule(…)} on the
   * same connection (a data source bound to the thread's transaction), then one commit, then {@code
   * triggerCheckForDueExecutions()}, its documented way to run a task scheduled in a transaction at
   * once.
   */
  static UnderLoad peer(BenchDatabase db, LongConsumer received) {
    db.execute(Tables.business());
    db.execute(Tables.peer());
    OneTimeTask<OrderPlaced> task =
        Tasks.oneTime(Tables.PEER_TASK, OrderPlaced.class)
            .execute((instance, ctx) -> received.accept(instance.getData().seq()));
    ExecutorService senders = Executors.newFixedThreadPool(PEER_SENDERS);
    HikariDataSource ds = PeerSetup.dataSource(db, PeerSetup.THREADS + 4 + PEER_SENDERS);
    PeerSetup.TransactionBound bound = new PeerSetup.TransactionBound(ds);
    Scheduler scheduler = PeerSetup.builder(bound, task).build();
    scheduler.start();
    String insertOrder = "INSERT INTO " + Tables.ORDER + " (ref, amount_cents) VALUES (?, ?)";
    OpenLoop.Sender sender =
        (firstSeq, count, committed, failed) ->
            senders.execute(
                () -> {
                  try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement st = c.prepareStatement(insertOrder)) {
                      bound.bind(c);
                      for (long seq = firstSeq; seq < firstSeq + count; seq++) {
                        st.setString(1, "order-" + seq);
                        st.setLong(2, 100 + seq % 10_000);
                        st.executeUpdate();
                        scheduler.schedule(
                            task.instance(Long.toString(seq), OrderPlaced.of(seq)), Instant.now());
                      }
                    } finally {
                      bound.unbind();
                    }
                    c.commit();
                    committed.run();
                    scheduler.triggerCheckForDueExecutions();
                  } catch (SQLException | RuntimeException e) {
                    failed.accept(e);
                  }
                });
    return new UnderLoad(
        sender,
        Tables.PEER,
        db,
        () -> {
          try {
            scheduler.stop();
          } finally {
            senders.shutdownNow();
            ds.close();
          }
        });
  }

  /** Stops the dispatcher and the senders, then drops the task table. */
  @Override
  public void close() throws Exception {
    stop.close();
    db.execute(Tables.dropHerald(table));
  }
}
