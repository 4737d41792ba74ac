package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The relay drain phase of the suite ({@code --only=relay}; a tiny one in the smoke): in each
 * round, the drain of one backlog by a no-op receiver, then by the relay to each broker, each in a
 * fresh JVM ({@link RelayDrain}) on the suite's server with the same engine options. A broker that
 * does not answer is skipped with a line saying so, never failed: RabbitMQ and NATS are servers of
 * this machine ({@code .ci/brokers} starts them); Kafka is a broker of Kafka's test kit in a JVM
 * that this phase starts ({@link KafkaBroker}).
 *
 * <p>{@code -Dherald.bench.relay.rounds=N} (default 3, smoke 1), {@code
 * -Dherald.bench.relay.tasks=N} (default: the drain's backlog), {@code
 * -Dherald.bench.relay.warmup=N} (default: the drain's warm-up; warm-up drains of that size run
 * until the JIT is quiet, at most {@code -Dherald.bench.relay.maxWarmups=N}, default 8, smoke 1),
 * {@code -Dherald.bench.relay.systems=noop,late,rabbitmq,nats,kafka} ({@code late}: a no-op
 * receiver completing {@code -Dherald.bench.relay.lateMillis=N} later, default 5), {@code
 * -Dherald.bench.relay.inFlight=N} (default 512: maxInFlight and the receiver's concurrency, for
 * every system), {@code -Dherald.bench.relay.publishOn=none,parallel} (see {@link RelayDrain}; with
 * several, each system runs under each in turn within a round, so that an A/B comparison sees the
 * same noise).
 */
final class RelayRun {

  private final Children children;
  private final Path dir;
  private final Consumer<String> fail;
  private final int tasks;
  private final int warmup;
  private final int maxWarmups;
  private final int rounds;
  private final List<String> systems;

  RelayRun(
      Children children, Path dir, boolean smoke, int tasks, int warmup, Consumer<String> fail) {
    this.children = children;
    this.dir = dir;
    this.fail = fail;
    this.tasks = Integer.getInteger("herald.bench.relay.tasks", tasks);
    this.warmup = Integer.getInteger("herald.bench.relay.warmup", warmup);
    this.rounds = Integer.getInteger("herald.bench.relay.rounds", smoke ? 1 : 3);
    this.maxWarmups = Integer.getInteger(RelayDrain.MAX_WARMUPS_PROPERTY, smoke ? 1 : 8);
    this.systems =
        List.of(
            System.getProperty("herald.bench.relay.systems", String.join(",", RelayTable.SYSTEMS))
                .split(","));
  }

  void run(BenchDatabase db, long pgPid, RelayTable table) {
    table.tasks = tasks;
    table.warmup = warmup;
    table.rounds = rounds;
    List<String> variants =
        List.of(System.getProperty(RelayDrain.PUBLISH_ON_PROPERTY, "none").split(","));
    table.variants = variants;
    Map<String, List<String>> jvmArgs = new LinkedHashMap<>();
    KafkaBroker kafka = null;
    try {
      for (String s : systems) {
        List<String> args = new ArrayList<>(List.of("-Xmx1g"));
        switch (s) {
          case "noop" -> {}
          case "late" ->
              args.add(
                  "-D"
                      + NoopTarget.LATE_PROPERTY
                      + "="
                      + Long.getLong(NoopTarget.LATE_PROPERTY, 5));
          case "rabbitmq" -> {
            if (!reachable(table, s, Brokers.rabbitMq())) {
              continue;
            }
            args.add("-D" + Brokers.RABBITMQ_PROPERTY + "=" + Brokers.rabbitMq());
            args.add("-D" + Brokers.PID_PROPERTY + "=" + Cpu.pidNamed("beam.smp"));
          }
          case "nats" -> {
            if (!reachable(table, s, Brokers.nats())) {
              continue;
            }
            args.add("-D" + Brokers.NATS_PROPERTY + "=" + Brokers.nats());
            args.add("-D" + Brokers.PID_PROPERTY + "=" + Cpu.pidNamed("nats-server"));
          }
          case "kafka" -> {
            Children.progress("relay: starting the in-process Kafka broker (its own JVM) ...");
            try {
              kafka = KafkaBroker.start(dir.resolve("relay-kafka-broker.log"));
            } catch (IOException e) {
              fail.accept("relay: " + e.getMessage());
              table.skip(s, "the in-process broker did not start");
              continue;
            }
            args.add("-D" + Brokers.KAFKA_PROPERTY + "=" + kafka.bootstrap());
            args.add("-D" + Brokers.PID_PROPERTY + "=" + kafka.pid());
          }
          default -> throw new IllegalArgumentException("unknown relay system: " + s);
        }
        jvmArgs.put(s, args);
      }
      for (int round = 1; round <= rounds; round++) {
        for (Map.Entry<String, List<String>> e : jvmArgs.entrySet()) {
          for (String v : variants) {
            String s = e.getKey();
            List<String> args = new ArrayList<>(e.getValue());
            args.add("-D" + RelayDrain.PUBLISH_ON_PROPERTY + "=" + v);
            args.add("-D" + RelayDrain.IN_FLIGHT_PROPERTY + "=" + RelayDrain.inFlight());
            args.add("-D" + RelayDrain.MAX_WARMUPS_PROPERTY + "=" + maxWarmups);
            Map<String, Object> r =
                children.run(
                    db,
                    pgPid,
                    "relay-" + s + (v.equals("none") ? "" : "-" + v) + "-" + round,
                    args,
                    true,
                    "herald-relay",
                    s,
                    Integer.toString(tasks),
                    Integer.toString(warmup));
            table.add(s, v, check(s, round, r));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail.accept("relay: interrupted");
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  private static boolean reachable(RelayTable table, String system, String uri) {
    if (Brokers.reachable(uri)) {
      return true;
    }
    String why = "not reachable at " + Brokers.address(uri) + " (.ci/brokers starts it)";
    Children.progress("relay: " + RelayTable.label(system) + " skipped: " + why);
    table.skip(system, why);
    return false;
  }

  private Map<String, Object> check(String system, int round, Map<String, Object> r) {
    if (r == null || Boolean.TRUE.equals(r.get("complete"))) {
      return r;
    }
    fail.accept(
        "relay "
            + system
            + " round "
            + round
            + ": incomplete: "
            + r.get("rowsLeft")
            + " rows left, "
            + r.get("distinctIds")
            + " of "
            + r.get("tasks")
            + " ids read back");
    return null;
  }
}
