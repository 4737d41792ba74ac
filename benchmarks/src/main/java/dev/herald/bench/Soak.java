package dev.herald.bench;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak workload of one system, in its own JVM: a JIT warm-up, then phases of an open-loop load
 * ({@link SoakPhase}), each at its own rate for its own duration, one after the other on the same
 * task table (dead tuples and autovacuum carry over). A phase above {@link #SENDS_PER_TX_RATE}
 * sends/s groups its sends into business transactions of several tasks, so that the sending side
 * can commit the offered rate and the dispatcher, not the senders, is what the phase tests.
 *
 * <p>Figures are reported, never asserted: the suite judges each phase ({@link FlatBacklog}).
 */
final class Soak {

  /** Phase {@code k}'s sends have sequence numbers {@code k * PHASE_SEQ + i}; unique per table. */
  static final long PHASE_SEQ = 1_000_000_000L;

  private static final long WARMUP_SEQ = 9 * PHASE_SEQ;

  /**
   * Sends started and neither committed nor failed, beyond which a due transaction is shed (its
   * sends counted, not started): a safety valve, so that when the sending side cannot commit at the
   * offered rate pending sends cannot pile up until the JVM runs out of heap (seen at 17,000
   * one-send transactions per second against 16 connections). The verdict then says {@code
   * SENDER-BOUND}.
   */
  static final int MAX_IN_FLIGHT = 20_000;

  /**
   * The highest rate, in sends per second, offered one send per transaction: a phase at {@code
   * rate} sends/s sends {@code k = ceil(rate / SENDS_PER_TX_RATE)} tasks per business transaction
   * (k order rows and k sends, one commit), transactions paced at {@code rate / k} per second, so
   * never more than this many transactions per second. Phase 1 (2,000/s) keeps one send per
   * transaction. On a server with durable commits the 16 sender connections commit about
   * 3,000–4,600 one-send transactions per second; with this bound phase 2 (80 % of the drain rate,
   * e.g. 24,103/s in transactions of 13) reaches the dispatcher instead of being shed.
   */
  static final int SENDS_PER_TX_RATE = 2_000;

  /** Sends per business transaction at {@code rate}: {@code ceil(rate / SENDS_PER_TX_RATE)}. */
  static int sendsPerTransaction(int rate) {
    return Math.max(1, (rate + SENDS_PER_TX_RATE - 1) / SENDS_PER_TX_RATE);
  }

  /** One phase: sends per second for that many seconds, in transactions of that many sends. */
  record Phase(int rate, int seconds, int sendsPerTransaction) {

    /**
     * Parses {@code rate:seconds[:sendsPerTransaction]}; without the third field, {@link
     * Soak#sendsPerTransaction(int)} of the rate.
     */
    static Phase parse(String s) {
      String[] p = s.split(":");
      int rate = Integer.parseInt(p[0]);
      int k = p.length > 2 ? Integer.parseInt(p[2]) : Soak.sendsPerTransaction(rate);
      return new Phase(rate, Integer.parseInt(p[1]), k);
    }

    /** Sends in the phase. */
    int sends() {
      return rate * seconds;
    }
  }

  private final long pgPid;
  private final int intervalSeconds;
  private final int drainTimeoutSeconds;
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
   *     rate:seconds[:sendsPerTransaction]}
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
      r.put(
          "config",
          Workloads.tunedDescription()
              + ", pool "
              + UnderLoad.POOL
              + (HeraldSide.DISPATCHER_POOL > 0
                  ? ", the dispatcher on a pool of its own of " + HeraldSide.DISPATCHER_POOL
                  : " shared by senders and dispatcher"));
      return r;
    }
  }

  /**
   * Entry point of {@code peer-soak}: db-scheduler in its drain configuration.
   *
   * @param args warm-up sends, interval seconds, drain timeout seconds, phases as {@code
   *     rate:seconds[:sendsPerTransaction]}
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
    r.commitToStart.recordValue(c == 0 ? 0 : Math.max(0, (now - c) / 1000));
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
    SoakCounters r = new SoakCounters(index, phase.sends());
    run = r;
    try {
      return new SoakPhase(index, phase, r, intervalSeconds, drainTimeoutSeconds)
          .run(sender, probe);
    } finally {
      run = null;
    }
  }
}
