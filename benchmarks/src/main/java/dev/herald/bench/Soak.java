package dev.herald.bench;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The soak workload of one system, in its own JVM: a JIT warm-up, then phases of an open-loop load
 * ({@link Pace#open}), each at its own rate for its own duration, one after the other on the same
 * task table (dead tuples and autovacuum carry over). Every second it samples the backlog and the
 * leased rows; at the end of every interval (a minute by default) it writes a row: backlog, commit
 * → receiver start percentiles of the receivers that started in that interval (an HdrHistogram
 * {@link Recorder}), dead tuples of the task table, leased rows, sends not yet committed and heap
 * after GC ({@link HeapWatch}). After each phase it waits for that phase's tasks to be delivered
 * before the next one starts.
 *
 * <p>Figures are reported, never asserted: the suite judges the backlog ({@link SoakTable}).
 */
final class Soak {

  /** Phase {@code k}'s sends have sequence numbers {@code k * PHASE_SEQ + i}; unique per table. */
  private static final long PHASE_SEQ = 1_000_000_000L;

  private static final long WARMUP_SEQ = 9 * PHASE_SEQ;

  /**
   * Sends started and neither committed nor failed, beyond which a due send is shed (counted, not
   * started): when the sending side cannot commit at the offered rate, pending sends would
   * otherwise pile up until the JVM runs out of heap (seen at 17,000 sends/s against 16
   * connections).
   */
  static final int MAX_IN_FLIGHT = 20_000;

  /** One phase: sends per second for that many seconds. */
  record Phase(int rate, int seconds) {
    static Phase parse(String s) {
      String[] p = s.split(":");
      return new Phase(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }
  }

  private final long pgPid;
  private final int intervalSeconds;
  private final int drainTimeoutSeconds;
  private final Recorder commitToStart = new Recorder(3);
  private final AtomicLong warmupReceived = new AtomicLong();
  private final AtomicLong receivedTotal = new AtomicLong();
  private volatile SoakCounters run;

  Soak(long pgPid, int intervalSeconds, int drainTimeoutSeconds) {
    this.pgPid = pgPid;
    this.intervalSeconds = intervalSeconds;
    this.drainTimeoutSeconds = drainTimeoutSeconds;
  }

  /**
   * Entry point of {@code herald-soak}: Herald on one adapter with the drain configuration ({@link
   * Workloads#tuned()}), so that the rate derived from the drain is offered to the same engine.
   *
   * @param args driver, warm-up sends, interval seconds, drain timeout seconds, phases as {@code
   *     rate:seconds}
   */
  static Map<String, Object> herald(BenchDatabase db, long pgPid, String[] args) throws Exception {
    String driver = args[1];
    Soak soak = soak(pgPid, args, 3);
    try (UnderLoad u =
        UnderLoad.herald(
            db,
            driver,
            "bench_soak_" + driver,
            Workloads.tuned(),
            Workloads.tunedReceiver(),
            soak::received)) {
      String backlog =
          "SELECT count(*) FILTER (WHERE locked_until IS NULL OR locked_until <= now()),"
              + " count(*) FILTER (WHERE locked_until > now()) FROM "
              + u.table
              + " WHERE state = 'ready'";
      Map<String, Object> r = soak.run(u, backlog, Integer.parseInt(args[2]), phases(args, 5));
      r.put("config", Workloads.tunedDescription() + ", pool 16");
      return r;
    }
  }

  /**
   * Entry point of {@code peer-soak}: db-scheduler in its drain configuration.
   *
   * @param args warm-up sends, interval seconds, drain timeout seconds, phases as {@code
   *     rate:seconds}
   */
  static Map<String, Object> peer(BenchDatabase db, long pgPid, String[] args) throws Exception {
    Soak soak = soak(pgPid, args, 2);
    try (UnderLoad u = UnderLoad.peer(db, soak::received)) {
      String backlog =
          "SELECT count(*) FILTER (WHERE NOT picked), count(*) FILTER (WHERE picked) FROM "
              + u.table;
      Map<String, Object> r = soak.run(u, backlog, Integer.parseInt(args[1]), phases(args, 4));
      r.put("config", PeerSetup.DESCRIPTION + ", " + UnderLoad.PEER_SENDERS + " sender threads");
      return r;
    }
  }

  private static Soak soak(long pgPid, String[] args, int interval) {
    return new Soak(pgPid, Integer.parseInt(args[interval]), Integer.parseInt(args[interval + 1]));
  }

  private static List<Phase> phases(String[] args, int from) {
    List<Phase> phases = new ArrayList<>();
    for (int i = from; i < args.length; i++) {
      phases.add(Phase.parse(args[i]));
    }
    return phases;
  }

  /** The receiver's hook, as it starts: commit → start goes to the current interval. */
  void received(long seq) {
    long now = System.nanoTime();
    receivedTotal.incrementAndGet();
    if (seq >= WARMUP_SEQ) {
      warmupReceived.incrementAndGet();
      return;
    }
    SoakCounters r = run;
    int i = (int) (seq % PHASE_SEQ);
    if (r == null || r.index != seq / PHASE_SEQ) {
      return; // a phase that timed out delivering: counted as undelivered there
    }
    if (r.started.getAndSet(i, now) != 0) {
      r.duplicates.incrementAndGet();
      return;
    }
    r.distinct.incrementAndGet();
    long c = r.committed.get(i);
    // The receiver may start before the sender sees its commit acknowledged: 0, as OpenLoop does.
    commitToStart.recordValue(c == 0 ? 0 : Math.max(0, (now - c) / 1000));
  }

  /**
   * Runs the warm-up and the phases.
   *
   * @param system the system under load, its receiver wired to {@link #received}
   * @param backlogSql one row: ready tasks not yet started, rows leased
   * @param warmupSends JIT warm-up sends (16 concurrent), waited for
   * @param phases the phases, in order
   * @return the figures
   */
  Map<String, Object> run(UnderLoad system, String backlogSql, int warmupSends, List<Phase> phases)
      throws Exception {
    Pace.warmUp(
        system.sender, warmupSends, WARMUP_SEQ, warmupReceived::get, e -> {}, drainTimeoutSeconds);
    HeapWatch heap = HeapWatch.start(receivedTotal, 0);
    List<Map<String, Object>> results = new ArrayList<>();
    try (Connection sampler = system.db.connect()) {
      SoakProbe probe = new SoakProbe(sampler, backlogSql, system.table, heap, pgPid);
      for (int k = 0; k < phases.size(); k++) {
        results.add(phase(k + 1, phases.get(k), system.sender, probe));
      }
    }
    heap.stop();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("warmupSends", warmupSends);
    r.put("intervalSeconds", intervalSeconds);
    r.put("phases", results);
    return r;
  }

  private Map<String, Object> phase(int index, Phase phase, OpenLoop.Sender sender, SoakProbe probe)
      throws Exception {
    int total = phase.rate() * phase.seconds();
    SoakCounters r = new SoakCounters(index, total);
    commitToStart.reset();
    run = r;
    Histogram whole = new Histogram(3);
    // Written by the sampler thread, read by this one (also if the sampler overran its wait).
    List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
    int intervals = Math.max(1, phase.seconds() / intervalSeconds);
    CountDownLatch allRows = new CountDownLatch(intervals);
    long[] start = new long[2];
    long[] intervalMax = new long[1];
    long intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    Thread ticker =
        Pace.every(
            "soak-sampler",
            t0,
            TimeUnit.SECONDS.toNanos(1),
            elapsed -> {
              long[] b = probe.backlog();
              if (elapsed == 0) {
                start[0] = b[0];
                start[1] = b[1];
              }
              intervalMax[0] = Math.max(intervalMax[0], b[0]);
              if (elapsed > 0 && elapsed % intervalNanos == 0 && allRows.getCount() > 0) {
                Histogram h = commitToStart.getIntervalHistogram();
                whole.add(h);
                Map<String, Object> row =
                    row(elapsed / 1_000_000_000L, b, intervalMax[0], h, r, probe);
                rows.add(row);
                System.out.println("soak phase " + index + " " + row);
                intervalMax[0] = b[0];
                allRows.countDown();
              }
            });
    long period = 1_000_000_000L / phase.rate();
    long maxLag =
        Pace.open(
            t0,
            period,
            total,
            i -> {
              r.sent.incrementAndGet();
              if (r.inFlight() > MAX_IN_FLIGHT) {
                r.shed.incrementAndGet();
                return;
              }
              sender.send(
                  index * PHASE_SEQ + i,
                  () -> {
                    r.committed.set((int) i, System.nanoTime());
                    r.committedCount.incrementAndGet();
                  },
                  r::failed);
            });
    long sendEnd = System.nanoTime();
    allRows.await(intervalSeconds + 60L, TimeUnit.SECONDS);
    ticker.interrupt();
    ticker.join(5000);
    long deadline = sendEnd + TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
    while (r.distinct.get() + r.failures.get() + r.shed.get() < total
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long drained = System.nanoTime();
    Histogram tail = commitToStart.getIntervalHistogram();
    whole.add(tail);

    Map<String, Object> p = new LinkedHashMap<>();
    p.put("phase", index);
    p.put("rate", phase.rate());
    p.put("seconds", phase.seconds());
    p.put("sends", total);
    p.put("failures", r.failures.get());
    p.put("firstFailure", r.firstFailure == null ? null : r.firstFailure.toString());
    p.put("shed", r.shed.get());
    p.put("maxInFlight", MAX_IN_FLIGHT);
    p.put("undelivered", total - r.distinct.get() - r.failures.get() - r.shed.get());
    p.put("duplicates", r.duplicates.get());
    p.put("generatorMaxLagMs", maxLag / 1e6);
    p.put("drainAfterLastSendMs", (drained - sendEnd) / 1e6);
    p.put("backlogStart", start[0]);
    p.put("leasedStart", start[1]);
    p.put("rows", rows);
    p.put("afterPhase", row(-1, probe.backlog(), -1, tail, r, probe));
    p.put("commitToStart", OpenLoop.percentiles(whole));
    run = null;
    return p;
  }

  private Map<String, Object> row(
      long second, long[] backlog, long backlogMax, Histogram h, SoakCounters r, SoakProbe probe) {
    long[] table = probe.table();
    double[] gc = probe.heap();
    double[] cpu = probe.cpu();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("second", second);
    row.put("sent", r.sent.get());
    row.put("uncommitted", r.inFlight());
    row.put("shed", r.shed.get());
    row.put("started", h.getTotalCount());
    row.put("backlog", backlog[0]);
    row.put("backlogMax", backlogMax);
    row.put("leased", backlog[1]);
    row.put("commitToStart", OpenLoop.percentiles(h));
    row.put("deadTuples", table[0]);
    row.put("liveTuples", table[1]);
    row.put("autovacuums", table[2]);
    row.put("gcs", gc[0]);
    row.put("heapAfterGcLastMb", gc[1]);
    row.put("heapAfterGcMaxMb", gc[2]);
    row.put("jvmCpuPct", cpu[0]);
    row.put("pgCpuPct", cpu[1]);
    return row;
  }
}
