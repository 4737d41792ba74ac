package dev.herald.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole benchmark suite in one command ({@code benchmarks/run}): starts (or connects to) one
 * PostgreSQL server, runs the JMH enqueue benchmarks, then each scripted workload in its own JVM,
 * Herald's and db-scheduler's alternately on the same server, and prints one Markdown table.
 *
 * <p>Options: {@code --smoke} (a tiny version of everything, soak included, for CI; exits non-zero
 * if anything fails to run), {@code --jfr} (records Herald's drain, latency and soak JVMs with JFR,
 * {@code settings=profile}, into the output directory), {@code
 * --only=enqueue,drain,latency,memory,soak,pinned,relay}. The soak (on its own durable-commit
 * server, {@link SoakRun}, about 35 minutes), the pinned-snapshot run ({@link PinnedRun}, about 20
 * minutes) and the relay drain ({@link RelayRun}, about 13 minutes, needs RabbitMQ and NATS on this
 * machine) run only when {@code --only} names them, or in the smoke (where a broker that is down is
 * skipped, never failed).
 */
public final class Suite {

  private static final String USAGE =
      "usage: benchmarks/run [--smoke] [--jfr]"
          + " [--only=enqueue,drain,latency,memory,soak,pinned,relay]"
          + " [-Dherald.bench.soak.minutes=5 | -Dherald.bench.soak.seconds=N]"
          + " [-Dherald.bench.soak.interval=SECONDS] [-Dherald.bench.soak.systems=r2dbc,vertx,peer]"
          + " [-Dherald.bench.pinned.seconds=180] [-Dherald.bench.pinned.reads=orders,tasks]"
          + " [-Dherald.bench.relay.rounds=3] [-Dherald.bench.relay.tasks=N]"
          + " [-Dherald.bench.relay.systems=noop,late,rabbitmq,nats,kafka]"
          + " [-Dherald.bench.relay.maxWarmups=8] [-Dherald.bench.relay.lateMillis=5]"
          + " [-Dherald.bench.relay.publishOn=none|parallel]";

  private final boolean smoke;
  private final boolean jfr;
  private final List<String> only;
  private final Path dir;
  private final BenchDatabase db;
  private final long pgPid;
  private final List<String> drivers;
  private final List<String> failures = new ArrayList<>();
  private final Table table = new Table();
  private final SoakTable soak = new SoakTable();
  private final RelayTable relay = new RelayTable();
  private PinnedRun pinned;
  private final Children children;

  private final int drainTasks;
  private final int drainWarmup;
  private final int jitWarmupSends;
  private final int memoryTasks;
  private final int[] rates;
  private final int warmupSeconds;
  private final int measureSeconds;

  private Suite(boolean smoke, boolean jfr, List<String> only, BenchDatabase db) {
    this.smoke = smoke;
    this.jfr = jfr;
    this.only = only;
    this.db = db;
    this.dir = Path.of(System.getProperty("herald.bench.dir", "benchmarks/target/bench"));
    this.pgPid = db.postmasterPid();
    this.drivers = drivers();
    this.children = new Children(dir, jfr, this::fail);
    this.drainTasks = smoke ? 3_000 : 200_000;
    this.drainWarmup = smoke ? 500 : 30_000;
    this.jitWarmupSends = smoke ? 300 : 20_000;
    this.memoryTasks = smoke ? 5_000 : 1_000_000;
    // Smoke: a fifth of the rates, so that a cold JVM's backlog clears in seconds.
    // -Dherald.bench.rates=2000 runs only that rate (for A/B runs of one setting).
    String chosenRates = System.getProperty("herald.bench.rates");
    this.rates =
        chosenRates != null
            ? java.util.Arrays.stream(chosenRates.split(",")).mapToInt(Integer::parseInt).toArray()
            : smoke ? new int[] {100, 400} : new int[] {500, 2000};
    this.warmupSeconds = smoke ? 1 : 3;
    this.measureSeconds = smoke ? 1 : 30;
  }

  /**
   * Entry point.
   *
   * @param args {@code --smoke}, {@code --jfr}, {@code --only=…}
   * @throws Exception if the suite itself cannot run
   */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    boolean smoke = false;
    boolean jfr = false;
    List<String> only = null;
    for (String a : args) {
      if (a.equals("--smoke")) {
        smoke = true;
      } else if (a.equals("--jfr")) {
        jfr = true;
      } else if (a.startsWith("--only=")) {
        only = List.of(a.substring(7).split(","));
      } else {
        System.err.println(USAGE);
        System.exit(2);
      }
    }
    if (only == null) {
      only =
          smoke
              ? List.of("enqueue", "drain", "latency", "memory", "soak", "pinned", "relay")
              : List.of("enqueue", "drain", "latency", "memory");
    }
    int code;
    try (BenchDatabase db = BenchDatabase.startOrConnect()) {
      code = new Suite(smoke, jfr, only, db).run();
    }
    System.exit(code);
  }

  private int run() throws IOException {
    Files.createDirectories(dir);
    Instant started = Instant.now();
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    String pgVersion = db.queryString("SHOW server_version");
    String naptime = db.queryString("SHOW autovacuum_naptime");
    progress(
        "database: "
            + db.describe()
            + ", PostgreSQL "
            + pgVersion
            + (pgPid > 0 ? ", postmaster pid " + pgPid : ", server CPU not measurable from here"));
    progress("drivers: " + String.join(", ", drivers) + (smoke ? " (smoke)" : ""));

    if (only.contains("enqueue")) {
      enqueue();
    }
    if (only.contains("drain")) {
      drain();
    }
    if (only.contains("latency")) {
      latency();
    }
    if (only.contains("memory")) {
      memory();
    }
    if (only.contains("soak")) {
      soak();
    }
    if (only.contains("pinned")) {
      pinned();
    }
    if (only.contains("relay")) {
      relay();
    }

    long seconds = ChronoUnit.SECONDS.between(started, Instant.now());
    String loadAtEnd = Files.readString(Path.of("/proc/loadavg")).trim();
    StringBuilder out = new StringBuilder();
    out.append("\n## Herald benchmarks").append(smoke ? " (smoke: tiny sizes, not figures)" : "");
    out.append("\n\n");
    out.append("- date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)");
    out.append(", suite took ").append(seconds).append(" s\n");
    out.append("- machine: nproc ").append(Runtime.getRuntime().availableProcessors());
    out.append(", memory ").append(memTotal()).append(", load average at start ").append(load);
    out.append(", at end ").append(loadAtEnd);
    out.append("\n- database: PostgreSQL ").append(pgVersion).append(", ").append(db.describe());
    out.append(", autovacuum_naptime ").append(naptime);
    out.append("\n- JDK: ").append(System.getProperty("java.vm.name")).append(' ');
    out.append(Runtime.version()).append(" (").append(System.getProperty("java.vm.vendor"));
    out.append("); workload JVMs -Xmx1g, memory run -Xmx128m\n");
    out.append("- Herald drain: ").append(Workloads.tunedDescription());
    out.append("; Herald latency: defaults (maxInFlight 256, concurrency 16, poll 1 s)\n");
    out.append("- peer: ").append(PeerSetup.DESCRIPTION).append('\n');
    out.append("- warm-up (untimed, same JVM): drain ")
        .append(Table.fmt0(drainWarmup))
        .append(" tasks before the timed drain; latency ")
        .append(Table.fmt0(jitWarmupSends))
        .append(" sends (16 concurrent) then ")
        .append(warmupSeconds)
        .append(" s at the rate before the recorded window; JMH enqueue ")
        .append(smoke ? "none" : "5 x 3 s, then 4 x 3 s measured, 1 fork")
        .append('\n');
    out.append("- CPU: % of one core over the measured window (200% = both cores)\n\n");
    out.append(table.render(drivers));
    if (!soak.isEmpty()) {
      out.append(soak.render());
    }
    if (pinned != null && !pinned.isEmpty()) {
      out.append(pinned.render());
    }
    if (!relay.isEmpty()) {
      out.append(relay.render());
    }
    if (!failures.isEmpty()) {
      out.append("\nFAILED:\n");
      for (String f : failures) {
        out.append("- ").append(f).append('\n');
      }
    }
    System.out.println(out);
    Files.writeString(dir.resolve("table.md"), out.toString());
    return failures.isEmpty() ? 0 : 1;
  }

  // ------------------------------------------------------------------ phases

  private void enqueue() {
    progress("enqueue: JMH, 8 callers, " + String.join(", ", drivers));
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(
                EnqueueBenchmark.class.getName()
                    + "\\.(orderOnly|orderPlusPlainInsert|orderPlusSendToOne|orderPlusSendToThree"
                    + "|orderPlusSendToOneOrdered|orderPlusSendToOneDeduped)$")
            .param("driver", drivers.toArray(String[]::new))
            .forks(1)
            .jvmArgsAppend(
                "-Xmx1g",
                "-D" + BenchDatabase.PROPERTY + "=" + db.url(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .shouldFailOnError(true)
            .output(dir.resolve("enqueue-jmh.log").toString());
    if (smoke) {
      // In this JVM (no fork), one short iteration each: a check that every benchmark runs.
      System.setProperty(BenchDatabase.PROPERTY, db.url());
      o.forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(500));
    } else {
      // R2DBC's send path needs about 12 s of this load before the JIT has settled (measured:
      // 0.4k -> 10k tx/s over the first 12 s on 2 cores); warm up for 15 s.
      o.warmupIterations(5)
          .warmupTime(TimeValue.seconds(3))
          .measurementIterations(4)
          .measurementTime(TimeValue.seconds(3));
    }
    Collection<RunResult> results;
    try {
      results = new Runner(o.build()).run();
    } catch (RunnerException | RuntimeException e) {
      fail("enqueue (JMH): " + e + "; see " + dir.resolve("enqueue-jmh.log"));
      return;
    }
    int expected = 6 * drivers.size();
    if (results.size() != expected) {
      fail(
          "enqueue (JMH): "
              + results.size()
              + " of "
              + expected
              + " benchmarks produced results; see "
              + dir.resolve("enqueue-jmh.log"));
    }
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String name = bench.substring(bench.lastIndexOf('.') + 1);
      String driver = r.getParams().getParam("driver");
      table.enqueue(
          name, driver, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError());
    }
  }

  private void drain() {
    for (String d : drivers) {
      Map<String, Object> r =
          child(
              "drain-" + d,
              List.of(),
              true,
              "herald-drain",
              d,
              Integer.toString(drainTasks),
              Integer.toString(drainWarmup));
      table.drain(d, checkDrain("drain " + d, r));
      // The same drain with ordering keys (what the claim's ordering check costs), and with
      // retention on (what keeping every completed task costs).
      table.drainKeyed(d, drainVariant(d, "keyed", "-Dherald.bench.orderKeys=" + Table.ORDER_KEYS));
      table.drainKept(d, drainVariant(d, "kept", "-Dherald.bench.retention=PT1H"));
    }
    Map<String, Object> peer =
        child(
            "drain-peer",
            List.of(),
            false,
            "peer-drain",
            Integer.toString(drainTasks),
            Integer.toString(drainWarmup));
    table.drain("peer", checkDrain("drain db-scheduler", peer));
    table.drainTasks = drainTasks;
  }

  private Map<String, Object> drainVariant(String driver, String name, String property) {
    Map<String, Object> r =
        child(
            "drain-" + driver + "-" + name,
            List.of(property),
            true,
            "herald-drain",
            driver,
            Integer.toString(drainTasks),
            Integer.toString(drainWarmup));
    return checkDrain("drain " + name + " " + driver, r);
  }

  private void latency() {
    for (int rate : rates) {
      String[] timing = {
        Integer.toString(rate),
        Integer.toString(jitWarmupSends),
        Integer.toString(warmupSeconds),
        Integer.toString(measureSeconds)
      };
      for (String d : drivers) {
        List<String> args = new ArrayList<>(List.of("herald-latency", d));
        args.addAll(List.of(timing));
        Map<String, Object> r =
            child("latency-" + rate + "-" + d, List.of(), true, args.toArray(String[]::new));
        table.latency(rate, d, checkLatency("latency " + rate + "/s " + d, r));
      }
      List<String> args = new ArrayList<>(List.of("peer-latency"));
      args.addAll(List.of(timing));
      Map<String, Object> r =
          child("latency-" + rate + "-peer", List.of(), false, args.toArray(String[]::new));
      table.latency(rate, "peer", checkLatency("latency " + rate + "/s db-scheduler", r));
    }
    table.measureSeconds = measureSeconds;
  }

  private void memory() {
    for (String d : drivers) {
      Map<String, Object> r =
          child(
              "memory-" + d,
              List.of("-Xmx128m"),
              false,
              "herald-memory",
              d,
              Integer.toString(memoryTasks));
      table.memory(d, checkDrain("memory " + d, r));
    }
    table.memoryTasks = memoryTasks;
  }

  private void soak() {
    table.soak = soak;
    try {
      new SoakRun(children, drivers, smoke, drainTasks, drainWarmup, this::fail).run(db, soak);
    } catch (RuntimeException e) {
      fail("soak: " + e);
    }
  }

  private void pinned() {
    try {
      pinned = new PinnedRun(children, drivers, smoke, this::fail);
      pinned.run(db);
    } catch (RuntimeException e) {
      fail("pinned: " + e);
    }
  }

  private void relay() {
    table.relay = relay;
    try {
      new RelayRun(children, dir, smoke, drainTasks, drainWarmup, this::fail).run(db, pgPid, relay);
    } catch (RuntimeException e) {
      fail("relay: " + e);
    }
  }

  private Map<String, Object> checkDrain(String what, Map<String, Object> r) {
    if (r != null && !Boolean.TRUE.equals(r.get("complete"))) {
      fail(what + ": incomplete, " + r.get("rowsLeft") + " rows left");
      return null;
    }
    return r;
  }

  private Map<String, Object> checkLatency(String what, Map<String, Object> r) {
    if (r == null) {
      return null;
    }
    long failed = ((Number) r.get("failures")).longValue();
    if (failed > 0) {
      fail(what + ": " + failed + " sends failed, first: " + r.get("firstFailure"));
      return null;
    }
    return r;
  }

  // ------------------------------------------------------------------ child JVMs

  /** Runs one workload in a fresh JVM on this suite's server; null (a failure) if it fails. */
  private Map<String, Object> child(
      String name, List<String> jvmArgs, boolean profileable, String... args) {
    return children.run(db, pgPid, name, jvmArgs, profileable, args);
  }

  private void fail(String message) {
    failures.add(message);
    progress("FAILED " + message);
  }

  private static void progress(String message) {
    Children.progress(message);
  }

  private static List<String> drivers() {
    return List.of("r2dbc", "vertx");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    long bytes =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return String.format(Locale.ROOT, "%.1f GiB", bytes / 1024.0 / 1024.0 / 1024.0);
  }
}
