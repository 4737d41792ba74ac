package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The suite's soak: on a server with durable commits (an embedded one of its own, {@link
 * BenchDatabase#DURABLE_SETTINGS}), or on the server the user named, as it is configured; for
 * Herald R2DBC, Herald Vert.x and db-scheduler one after the other: the drain workload, then the
 * soak in its own JVM, phase 1 at 2,000 sends/s and phase 2 at 80 % of the drain rate just
 * measured, its sends grouped {@code ceil(rate / 2,000)} per business transaction ({@link
 * Soak#SENDS_PER_TX_RATE}) so that the senders can commit it.
 *
 * <p>Durations: {@code -Dherald.bench.soak.minutes=N} per phase (default 5), or {@code
 * -Dherald.bench.soak.seconds=N}; a row per {@code -Dherald.bench.soak.interval=N} seconds (default
 * 60, or 10 for phases under 2 minutes, 1 for phases under 20 s); only some systems with {@code
 * -Dherald.bench.soak.systems=vertx,peer}. Smoke: 5 s phases, a fifth of the rates, each with the
 * full rate's grouping.
 */
final class SoakRun {

  /** Phase 1's rate, sends per second. */
  static final int PHASE1_RATE = 2_000;

  /**
   * Connections of the pool of Herald's dispatcher's own in the soak, unless {@code
   * -Dherald.bench.dispatcherPool} says otherwise (0: the dispatcher shares the senders' pool).
   * Phase 2 offers more than the senders can commit on this hardware, so their pool stays
   * saturated, and a dispatcher that queues behind the sends on a shared pool starves (the README's
   * "What limits a dispatcher's rate"): the soak runs Herald as the README advises for that load.
   */
  static final int DISPATCHER_POOL = 4;

  /** Phase 2's rate as a fraction of the measured drain rate. */
  static final double PHASE2_FRACTION = 0.8;

  private final Children children;
  private final List<String> drivers;
  private final boolean smoke;
  private final int drainTasks;
  private final int drainWarmup;
  private final Consumer<String> fail;
  private final int phaseSeconds;
  private final int intervalSeconds;
  private final int warmupSends;
  private final int drainTimeoutSeconds;
  private final int divisor;

  SoakRun(
      Children children,
      List<String> drivers,
      boolean smoke,
      int drainTasks,
      int drainWarmup,
      Consumer<String> fail) {
    this.children = children;
    this.drivers = drivers;
    this.smoke = smoke;
    this.drainTasks = drainTasks;
    this.drainWarmup = drainWarmup;
    this.fail = fail;
    Integer seconds = Integer.getInteger("herald.bench.soak.seconds");
    this.phaseSeconds =
        seconds != null
            ? seconds
            : smoke ? 5 : 60 * Integer.getInteger("herald.bench.soak.minutes", 5);
    if (phaseSeconds < 1) {
      throw new IllegalArgumentException("soak phases must last at least 1 s");
    }
    int defaultInterval = phaseSeconds >= 120 ? 60 : phaseSeconds >= 20 ? 10 : 1;
    this.intervalSeconds =
        Math.min(phaseSeconds, Integer.getInteger("herald.bench.soak.interval", defaultInterval));
    this.warmupSends = smoke ? 300 : 20_000;
    this.drainTimeoutSeconds = smoke ? 30 : 120;
    // Smoke: a fifth of the rates, as the latency smoke does, so that a cold JVM keeps up.
    this.divisor = smoke ? 5 : 1;
  }

  /**
   * Runs the soak for every system into {@code table}.
   *
   * @param suiteDb the suite's server: used as it is if the user named it; if it is the embedded
   *     one, the soak starts its own with durable commits instead
   */
  void run(BenchDatabase suiteDb, SoakTable table) {
    // The suite's own server is never closed here: only the durable one started for the soak.
    try (BenchDatabase own = suiteDb.embeddedHere ? BenchDatabase.startDurableEmbedded() : null) {
      BenchDatabase db = own != null ? own : suiteDb;
      long pgPid = db.postmasterPid();
      Map<String, String> settings = new LinkedHashMap<>();
      for (String s : SoakTable.SETTINGS) {
        settings.put(s, db.queryString("SHOW " + s));
      }
      table.settings(settings);
      table.server = "PostgreSQL " + db.queryString("SHOW server_version") + ", " + db.describe();
      table.phase1Rate = PHASE1_RATE / divisor;
      table.phaseSeconds = phaseSeconds;
      table.timing =
          "phases of "
              + phaseSeconds
              + " s, a row per "
              + intervalSeconds
              + " s; phase 1 at "
              + PHASE1_RATE / divisor
              + " sends/s, phase 2 at 80 % of the drain rate"
              + ", in transactions of k = ceil(rate / "
              + Table.fmt0(Soak.SENDS_PER_TX_RATE)
              + ") sends"
              + (smoke ? " (smoke: a fifth of both rates, grouped as the full rates are)" : "")
              + "; drain measured with "
              + Table.fmt0(drainTasks)
              + " tasks after "
              + Table.fmt0(drainWarmup)
              + " untimed; "
              + Table.fmt0(warmupSends)
              + " untimed warm-up sends (16 concurrent) before phase 1";
      Children.progress("soak: " + db.describe() + ", " + settings);
      for (String side : sides()) {
        runSide(db, pgPid, side, table);
      }
    }
  }

  /**
   * A phase at {@code rate} / the smoke's divisor, in transactions of as many sends as {@code rate}
   * itself calls for ({@link Soak#sendsPerTransaction}): the smoke's smaller rates keep the full
   * run's grouping, so that they exercise it too.
   */
  private String phase(int rate) {
    return Math.max(1, rate / divisor) + ":" + phaseSeconds + ":" + Soak.sendsPerTransaction(rate);
  }

  /**
   * The drivers and the peer, or only those {@code -Dherald.bench.soak.systems=r2dbc,vertx,peer}
   * names.
   */
  private List<String> sides() {
    List<String> sides = new ArrayList<>(drivers);
    sides.add("peer");
    String chosen = System.getProperty("herald.bench.soak.systems");
    if (chosen != null) {
      List<String> names = List.of(chosen.split(","));
      for (String name : names) {
        if (!sides.contains(name)) {
          throw new IllegalArgumentException(
              "herald.bench.soak.systems: unknown system '" + name + "', expected one of " + sides);
        }
      }
      sides.retainAll(names);
    }
    return sides;
  }

  private void runSide(BenchDatabase db, long pgPid, String side, SoakTable table) {
    boolean peer = side.equals("peer");
    List<String> drainArgs = new ArrayList<>();
    drainArgs.add(peer ? "peer-drain" : "herald-drain");
    if (!peer) {
      drainArgs.add(side);
    }
    drainArgs.addAll(List.of(Integer.toString(drainTasks), Integer.toString(drainWarmup)));
    Map<String, Object> drain =
        children.run(
            db, pgPid, "soak-drain-" + side, List.of(), false, drainArgs.toArray(String[]::new));
    Double drainRate = null;
    if (drain != null && !Boolean.TRUE.equals(drain.get("complete"))) {
      fail.accept("soak drain " + side + ": incomplete, " + drain.get("rowsLeft") + " rows left");
    } else if (drain != null) {
      drainRate = ((Number) drain.get("tasksPerSecond")).doubleValue();
    }

    List<String> args = new ArrayList<>();
    args.add(peer ? "peer-soak" : "herald-soak");
    if (!peer) {
      args.add(side);
    }
    args.addAll(
        List.of(
            Integer.toString(warmupSends),
            Integer.toString(intervalSeconds),
            Integer.toString(drainTimeoutSeconds),
            phase(PHASE1_RATE)));
    if (drainRate != null) {
      args.add(phase((int) Math.max(1, Math.round(drainRate * PHASE2_FRACTION))));
    } else {
      fail.accept("soak " + side + ": no drain rate, phase 2 not run");
    }
    Duration limit =
        Duration.ofSeconds(300L + 2L * (phaseSeconds + drainTimeoutSeconds) + drainTimeoutSeconds);
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
    if (!peer && System.getProperty("herald.bench.dispatcherPool") == null) {
      jvm.add("-Dherald.bench.dispatcherPool=" + DISPATCHER_POOL);
    }
    Map<String, Object> r =
        children.run(limit, db, pgPid, "soak-" + side, jvm, true, args.toArray(String[]::new));
    if (r != null) {
      table.put(side, drainRate, r);
    } else {
      table.put(side, drainRate, null);
    }
  }
}
