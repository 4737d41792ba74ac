package dev.herald.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.io.File;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scripted workloads, one per child JVM (the suite starts them): a drain of a ready backlog, an
 * open-loop latency run and the memory run, for Herald and for the peer. Each writes its figures as
 * JSON to the file named by {@code -Dherald.bench.out}.
 *
 * <p>Harness code (set-up, backlog inserts, counts) uses blocking JDBC; the Herald code under
 * measurement is the library's reactive path.
 */
public final class Workloads {

  static final String SIGNAL = "order.placed";
  static final String RECEIVER = "noop";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Workloads() {}

  /**
   * Entry point of a child JVM.
   *
   * @param args the workload and its arguments
   * @throws Exception on any failure (the suite reports it)
   */
  public static void main(String[] args) throws Exception {
    BenchDatabase db = BenchDatabase.fromProperty();
    long pgPid = Long.getLong("herald.bench.pgpid", -1);
    Map<String, Object> result =
        switch (args[0]) {
          case "herald-drain" ->
              heraldDrain(
                  db,
                  pgPid,
                  args[1],
                  Long.parseLong(args[2]),
                  Long.parseLong(args[3]),
                  false,
                  tuned());
          case "herald-memory" ->
              heraldDrain(db, pgPid, args[1], Long.parseLong(args[2]), 0, true, tuned());
          case "peer-drain" ->
              peerDrain(db, pgPid, Long.parseLong(args[1]), Long.parseLong(args[2]));
          case "herald-latency" -> heraldLatency(db, pgPid, args[1], timing(args, 2));
          case "peer-latency" -> peerLatency(db, pgPid, timing(args, 1));
          case "herald-relay" -> RelayDrain.run(db, pgPid, args);
          case "herald-soak" -> Soak.herald(db, pgPid, args);
          case "peer-soak" -> Soak.peer(db, pgPid, args);
          case "herald-pinned" -> Pinned.herald(db, pgPid, args);
          case "herald-bursts" ->
              heraldBursts(
                  db,
                  args[1],
                  Integer.parseInt(args[2]),
                  args.length > 3 ? NotifyMode.valueOf(args[3]) : NotifyMode.RATE_LIMITED);
          default -> throw new IllegalArgumentException("unknown workload " + args[0]);
        };
    result.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
    result.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    String out = System.getProperty("herald.bench.out");
    if (out == null) {
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    } else {
      JSON.writeValue(new File(out), result);
    }
    System.exit(0);
  }

  /** rate, JIT warm-up sends, warm-up seconds, measured seconds. */
  private static OpenLoop timing(String[] args, int from) {
    return new OpenLoop(
        Integer.parseInt(args[from]),
        Integer.parseInt(args[from + 1]),
        Integer.parseInt(args[from + 2]),
        Integer.parseInt(args[from + 3]));
  }

  /** Herald's drain configuration: a deep in-flight window and large acknowledgement batches. */
  static HeraldOptions tuned() {
    return tuned(512);
  }

  /**
   * {@link #tuned()} with {@code inFlight} tasks held at most (and as the receiver's concurrency).
   */
  static HeraldOptions tuned(int inFlight) {
    HeraldOptions.Builder o = HeraldOptions.builder().maxInFlight(inFlight).completionBatch(512);
    // -Dherald.bench.retention=PT1H: completed tasks are kept (what retention costs the drain).
    String retention = System.getProperty("herald.bench.retention");
    if (retention != null) {
      o.retention(Duration.parse(retention));
    }
    return o.build();
  }

  static ReceiverOptions tunedReceiver() {
    return tunedReceiver(512);
  }

  static ReceiverOptions tunedReceiver(int inFlight) {
    return ReceiverOptions.builder().concurrency(inFlight).build();
  }

  static String tunedDescription() {
    return tunedDescription(512);
  }

  static String tunedDescription(int inFlight) {
    return "maxInFlight "
        + inFlight
        + ", receiver concurrency "
        + inFlight
        + ", completionBatch 512";
  }

  // ------------------------------------------------------------------ drain

  static Map<String, Object> heraldDrain(
      BenchDatabase db,
      long pgPid,
      String driver,
      long tasks,
      long warmupTasks,
      boolean watchHeap,
      HeraldOptions o)
      throws Exception {
    String table = "bench_drain_" + driver;
    db.execute(Tables.dropHerald(table));
    try (HeraldSide side = HeraldSide.create(driver, db, table, 8)) {
      Herald.builder(side.store()).build().installSchema().block(Duration.ofSeconds(60));
      if (warmupTasks > 0) {
        // Untimed: the same drain on a small backlog, so that the JIT has compiled the claim,
        // delivery and acknowledgement paths before the timed run (a fresh instance) starts.
        heraldDrainOnce(db, side, table, warmupTasks, pgPid, false, o);
      }
      Map<String, Object> r = heraldDrainOnce(db, side, table, tasks, pgPid, watchHeap, o);
      r.put("warmupTasks", warmupTasks);
      r.put("config", tunedDescription());
      db.execute(Tables.dropHerald(table));
      return r;
    }
  }

  private static Map<String, Object> heraldDrainOnce(
      BenchDatabase db,
      HeraldSide side,
      String table,
      long tasks,
      long pgPid,
      boolean watchHeap,
      HeraldOptions o)
      throws Exception {
    long insertStart = System.nanoTime();
    // -Dherald.bench.orderKeys=N: the backlog's tasks carry N interleaved ordering keys.
    db.execute(
        Tables.heraldBacklog(
            table, SIGNAL, RECEIVER, tasks, Integer.getInteger("herald.bench.orderKeys", 0)));
    db.execute("VACUUM ANALYZE " + table, "CHECKPOINT");
    double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

    Herald herald = Herald.builder(side.store()).options(o).build();
    AtomicLong calls = new AtomicLong();
    // Counted in the receiver, not from Delivered events: an event subscriber that falls behind
    // misses events by design. The table being empty afterwards says every task was acknowledged.
    CountDownLatch done = new CountDownLatch((int) tasks);
    Signal<OrderPlaced> signal = herald.signal(SIGNAL, OrderPlaced.class);
    signal.connect(
        RECEIVER,
        tunedReceiver(),
        d -> {
          calls.incrementAndGet();
          done.countDown();
          return Mono.empty();
        });

    HeapWatch heap = watchHeap ? HeapWatch.start(calls, tasks) : null;
    Cpu.Reading before = Cpu.read(pgPid);
    long start = System.nanoTime();
    herald.start();
    boolean all = done.await(20, TimeUnit.MINUTES);
    long left = waitEmpty(db, "SELECT count(*) FROM " + table, 60);
    long end = System.nanoTime();
    Cpu.Reading after = Cpu.read(pgPid);
    Map<String, Object> r = new LinkedHashMap<>();
    if (heap != null) {
      r.put("heap", heap.stop());
    }
    herald.close().block(Duration.ofSeconds(60));
    r.putAll(drainResult(tasks, all, left, calls.get(), start, end, before, after));
    r.put("insertSeconds", insertSeconds);
    return r;
  }

  static Map<String, Object> peerDrain(BenchDatabase db, long pgPid, long tasks, long warmupTasks)
      throws Exception {
    db.execute(Tables.peer());
    try (HikariDataSource ds = PeerSetup.dataSource(db, PeerSetup.THREADS + 4)) {
      if (warmupTasks > 0) {
        peerDrainOnce(db, ds, warmupTasks, pgPid);
      }
      Map<String, Object> r = peerDrainOnce(db, ds, tasks, pgPid);
      r.put("warmupTasks", warmupTasks);
      r.put("config", PeerSetup.DESCRIPTION);
      db.execute("DROP TABLE IF EXISTS " + Tables.PEER);
      return r;
    }
  }

  private static Map<String, Object> peerDrainOnce(
      BenchDatabase db, HikariDataSource ds, long tasks, long pgPid) throws Exception {
    db.execute("TRUNCATE " + Tables.PEER);
    long insertStart = System.nanoTime();
    db.execute(Tables.peerBacklog(tasks));
    db.execute("VACUUM ANALYZE " + Tables.PEER, "CHECKPOINT");
    double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

    AtomicLong calls = new AtomicLong();
    CountDownLatch done = new CountDownLatch((int) tasks);
    OneTimeTask<OrderPlaced> task =
        Tasks.oneTime(Tables.PEER_TASK, OrderPlaced.class)
            .execute(
                (instance, ctx) -> {
                  // Herald decodes every payload before its receiver runs; so does this.
                  instance.getData();
                  calls.incrementAndGet();
                });
    Scheduler scheduler =
        PeerSetup.builder(ds, task)
            .addSchedulerListener(
                new AbstractSchedulerListener() {
                  @Override
                  public void onExecutionComplete(ExecutionComplete complete) {
                    done.countDown();
                  }
                })
            .build();
    Cpu.Reading before = Cpu.read(pgPid);
    long start = System.nanoTime();
    scheduler.start();
    boolean all = done.await(20, TimeUnit.MINUTES);
    long left = waitEmpty(db, "SELECT count(*) FROM " + Tables.PEER, 60);
    long end = System.nanoTime();
    Cpu.Reading after = Cpu.read(pgPid);
    scheduler.stop();
    Map<String, Object> r = drainResult(tasks, all, left, calls.get(), start, end, before, after);
    r.put("insertSeconds", insertSeconds);
    return r;
  }

  static Map<String, Object> drainResult(
      long tasks,
      boolean all,
      long left,
      long calls,
      long start,
      long end,
      Cpu.Reading before,
      Cpu.Reading after) {
    double seconds = (end - start) / 1e9;
    double[] cpu = before.since(after);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("tasks", tasks);
    r.put("complete", all && left == 0);
    r.put("rowsLeft", left);
    r.put("receiverCalls", calls);
    r.put("seconds", seconds);
    r.put("tasksPerSecond", tasks / seconds);
    r.put("jvmCpuPct", cpu[0]);
    r.put("pgCpuPct", cpu[1]);
    return r;
  }

  static long waitEmpty(BenchDatabase db, String countSql, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long left;
    while ((left = db.queryLong(countSql)) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    return left;
  }

  // ------------------------------------------------------------------ latency

  static Map<String, Object> heraldLatency(
      BenchDatabase db, long pgPid, String driver, OpenLoop loop) throws Exception {
    // Out-of-the-box engine and receiver options.
    try (UnderLoad u =
            UnderLoad.herald(
                db,
                driver,
                "bench_latency_" + driver,
                HeraldOptions.defaults(),
                ReceiverOptions.defaults(),
                loop::received);
        Connection sampler = db.connect()) {
      Map<String, Object> r =
          loop.run(
              u.sender,
              counter(sampler, "SELECT count(*) FROM " + u.table + " WHERE state = 'ready'"),
              120,
              pgPid);
      putCpu(r);
      r.put("config", "HeraldOptions and ReceiverOptions defaults, r2dbc pool 16");
      return r;
    }
  }

  static Map<String, Object> peerLatency(BenchDatabase db, long pgPid, OpenLoop loop)
      throws Exception {
    try (UnderLoad u = UnderLoad.peer(db, loop::received);
        Connection sampler = db.connect()) {
      Map<String, Object> r =
          loop.run(u.sender, counter(sampler, "SELECT count(*) FROM " + u.table), 120, pgPid);
      putCpu(r);
      r.put("config", PeerSetup.DESCRIPTION + ", " + UnderLoad.PEER_SENDERS + " sender threads");
      return r;
    }
  }

  /** CPU over the recorded window, from the backlog sampler's readings. */
  @SuppressWarnings("unchecked")
  private static void putCpu(Map<String, Object> r) {
    Map<String, Object> b = (Map<String, Object>) r.get("backlog");
    r.put("jvmCpuPct", b.getOrDefault("jvmCpuPct", -1.0));
    r.put("pgCpuPct", b.getOrDefault("pgCpuPct", -1.0));
  }

  // ------------------------------------------------------------------ bursts (diagnostic)

  /**
   * Not part of the suite: pairs of sends 0.3 ms apart, pairs 200 ms apart, out-of-the-box options.
   * A send that commits while the claim woken by the other one is in flight must still be claimed
   * at once; if its wakeup is lost, it waits for the next wakeup (the listener's delayed re-check
   * after a NOTIFY, 100 ms, or the poll, 1 s). Reports commit → receiver start. Run it with {@code
   * Workloads herald-bursts r2dbc 300 [RATE_LIMITED|NONE|EVERY_TRANSACTION]}.
   */
  static Map<String, Object> heraldBursts(
      BenchDatabase db, String driver, int pairs, NotifyMode notify) throws Exception {
    String table = "bench_bursts_" + driver;
    db.execute(Tables.business());
    db.execute(Tables.dropHerald(table));
    int total = 2 * pairs;
    long[] committed = new long[total];
    long[] started = new long[total];
    try (HeraldSide side = HeraldSide.create(driver, db, table, 16)) {
      Herald herald =
          Herald.builder(side.store())
              .options(HeraldOptions.builder().notifyMode(notify).build())
              .build();
      herald.installSchema().block(Duration.ofSeconds(60));
      Signal<OrderPlaced> signal = herald.signal(SIGNAL, OrderPlaced.class);
      signal.connect(
          RECEIVER,
          d -> {
            long seq = d.payload().seq();
            if (seq < total) {
              started[(int) seq] = System.nanoTime();
            }
            return Mono.empty();
          });
      herald.start();
      for (int i = 0; i < 5000; i++) {
        side.orderAndSend(total + i, signal, OrderPlaced.of(total + i)).block();
      }
      Thread.sleep(2000);
      for (int i = 0; i < pairs; i++) {
        for (int k = 0; k < 2; k++) {
          int seq = 2 * i + k;
          side.orderAndSend(seq, signal, OrderPlaced.of(seq))
              .doOnSuccess(v -> committed[seq] = System.nanoTime())
              .subscribe();
          long until = System.nanoTime() + 300_000;
          while (k == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }
        Thread.sleep(200);
      }
      Thread.sleep(3000);
      herald.close().block(Duration.ofSeconds(60));
      org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
      long slow = 0;
      for (int i = 0; i < total; i++) {
        long micros = Math.max(0, (started[i] - committed[i]) / 1000);
        h.recordValue(micros);
        if (micros > 50_000) {
          slow++;
        }
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sends", total);
      r.put("notifyMode", notify.name());
      r.put("commitToStart", OpenLoop.percentiles(h));
      r.put("over50ms", slow);
      db.execute(Tables.dropHerald(table));
      return r;
    }
  }

  static LongSupplier counter(Connection c, String sql) {
    return () -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        return -1;
      }
    };
  }
}
