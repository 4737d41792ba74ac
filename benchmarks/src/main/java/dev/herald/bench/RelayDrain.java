package dev.herald.bench;

import dev.herald.Herald;
import dev.herald.Receiver;
import dev.herald.Signal;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The relay drain, one child JVM per system and round ({@code herald-relay SYSTEM TASKS WARMUP}): a
 * ready backlog drained to empty, as the drain workload does and with its engine options, by a
 * receiver that relays each task to a broker (or, for {@code noop}, does nothing), then read back
 * from the broker: the run is complete only if every task's id arrived.
 *
 * <p>{@code -Dherald.bench.relay.publishOn=parallel} moves what follows each receiver's completion
 * (Herald's outcome bookkeeping) off the thread that completed it (the broker client's) onto that
 * Reactor scheduler; the default, {@code none}, leaves it where the client completes it.
 */
final class RelayDrain {

  static final String TABLE = "bench_relay";
  static final String RECEIVER = "relay";
  static final String PUBLISH_ON_PROPERTY = "herald.bench.relay.publishOn";
  // A relay's attempt lasts one broker confirm, so the tasks in flight bound its rate (Little's
  // law: in flight / confirm latency); every system of a run gets the same value.
  static final String IN_FLIGHT_PROPERTY = "herald.bench.relay.inFlight";

  // Warm-up drains end once compiling took under this share of the last one's wall time.
  private static final double QUIET_JIT_SHARE = 0.05;
  static final String MAX_WARMUPS_PROPERTY = "herald.bench.relay.maxWarmups";

  private RelayDrain() {}

  /** Wall milliseconds the JIT compilers spent so far, summed over compiler threads. */
  private static long compileMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }

  static int inFlight() {
    return Integer.getInteger(IN_FLIGHT_PROPERTY, 512);
  }

  static Map<String, Object> run(BenchDatabase db, long pgPid, String[] args) throws Exception {
    String system = args[1];
    long tasks = Long.parseLong(args[2]);
    long warmup = Long.parseLong(args[3]);
    long brokerPid = Long.getLong(Brokers.PID_PROPERTY, -1);
    db.execute(Tables.dropHerald(TABLE));
    try (HeraldSide side = HeraldSide.create("r2dbc", db, TABLE, 8);
        RelayTarget target = RelayTarget.open(system)) {
      Herald.builder(side.store()).build().installSchema().block(Duration.ofSeconds(60));
      // Untimed, to destinations of their own, until the JIT is quiet: a relay runs for hours,
      // and a drain of seconds measured while C2 still compiles the claim, relay and ack paths
      // (and the broker client's) gives much of a core to the compiler, more for a relay, whose
      // client brings more code, than for the no-op receiver.
      int warmups = 0;
      double jit = 1;
      int maxWarmups = Integer.getInteger(MAX_WARMUPS_PROPERTY, 8);
      while (warmup > 0 && warmups < maxWarmups && jit > QUIET_JIT_SHARE) {
        warmups++;
        long compiled = compileMillis();
        long began = System.nanoTime();
        drainOnce(db, side, target, "warmup-" + warmups, warmup, pgPid, brokerPid);
        jit = (compileMillis() - compiled) * 1e6 / (System.nanoTime() - began);
      }
      long compiled = compileMillis();
      Map<String, Object> r = drainOnce(db, side, target, "timed", tasks, pgPid, brokerPid);
      r.put("warmupDrains", warmups);
      r.put("jitPct", 100.0 * (compileMillis() - compiled) * 1e3 / num(r, "seconds") / 1e6);
      r.put("system", system);
      r.put("target", target.describe());
      r.put("warmupTasks", warmup);
      r.put("config", Workloads.tunedDescription(inFlight()) + ", Herald R2DBC, pool 8");
      r.put("publishOn", publishOnName());
      db.execute(Tables.dropHerald(TABLE));
      return r;
    }
  }

  private static Map<String, Object> drainOnce(
      BenchDatabase db,
      HeraldSide side,
      RelayTarget target,
      String name,
      long tasks,
      long pgPid,
      long brokerPid)
      throws Exception {
    try (RelayTarget.Destination destination = target.destination(name)) {
      long insertStart = System.nanoTime();
      db.execute(Tables.heraldBacklog(TABLE, Workloads.SIGNAL, RECEIVER, tasks));
      db.execute("VACUUM ANALYZE " + TABLE, "CHECKPOINT");
      double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

      Herald herald = Herald.builder(side.store()).options(Workloads.tuned(inFlight())).build();
      AtomicLong calls = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      CountDownLatch done = new CountDownLatch((int) tasks);
      Map<String, LongAdder> completedOn = new ConcurrentHashMap<>();
      Receiver<OrderPlaced> relay = destination.receiver();
      Scheduler hop = publishOn();
      Signal<OrderPlaced> signal = herald.signal(Workloads.SIGNAL, OrderPlaced.class);
      signal.connect(
          RECEIVER,
          Workloads.tunedReceiver(inFlight()),
          d -> {
            Mono<Void> publish = relay.receive(d);
            if (hop != null) {
              publish = publish.publishOn(hop);
            }
            return publish
                .doOnSuccess(
                    v -> {
                      // A sample of the threads Herald's work after the receiver runs on.
                      if ((d.taskId() & 127) == 0) {
                        completedOn.computeIfAbsent(threadKind(), k -> new LongAdder()).increment();
                      }
                      calls.incrementAndGet();
                      done.countDown();
                    })
                .doOnError(e -> failures.incrementAndGet());
          });

      Cpu.Reading before = Cpu.read(pgPid);
      long brokerBefore = Cpu.processCpuNanos(brokerPid);
      var threadsBefore = ThreadCpu.read();
      long start = System.nanoTime();
      herald.start();
      boolean all = done.await(20, TimeUnit.MINUTES);
      long left = Workloads.waitEmpty(db, "SELECT count(*) FROM " + TABLE, 60);
      long end = System.nanoTime();
      var threadsAfter = ThreadCpu.read();
      Cpu.Reading after = Cpu.read(pgPid);
      long brokerAfter = Cpu.processCpuNanos(brokerPid);
      herald.close().block(Duration.ofSeconds(60));

      RelayTarget.Arrived arrived = destination.readBack(tasks);
      Map<String, Object> r =
          Workloads.drainResult(tasks, all, left, calls.get(), start, end, before, after);
      boolean drained = Boolean.TRUE.equals(r.get("complete"));
      r.put("complete", drained && arrived.distinctIds() == tasks);
      r.put("published", arrived.published());
      r.put("distinctIds", arrived.distinctIds());
      r.put("duplicates", arrived.published() - arrived.distinctIds());
      r.put("failedAttempts", failures.get());
      r.put(
          "brokerCpuPct",
          brokerBefore < 0 || brokerAfter < 0
              ? -1.0
              : 100.0 * (brokerAfter - brokerBefore) / (end - start));
      Map<String, Long> threads = new TreeMap<>();
      completedOn.forEach((k, v) -> threads.put(k, v.sum()));
      r.put("completedOn", threads);
      r.put("threadCpu", ThreadCpu.since(threadsBefore, threadsAfter, end - start));
      r.put("insertSeconds", insertSeconds);
      return r;
    }
  }

  /** A thread's name without its trailing number: "kafka-producer-network-thread | producer-N". */
  private static String threadKind() {
    return Thread.currentThread().getName().replaceAll("[0-9]+$", "N");
  }

  private static String publishOnName() {
    return System.getProperty(PUBLISH_ON_PROPERTY, "none");
  }

  private static Scheduler publishOn() {
    return switch (publishOnName()) {
      case "none" -> null;
      case "parallel" -> Schedulers.parallel();
      case "single" -> Schedulers.single();
      case "boundedElastic" -> Schedulers.boundedElastic();
      default ->
          throw new IllegalArgumentException(
              "-D" + PUBLISH_ON_PROPERTY + " must be none, parallel, single or boundedElastic");
    };
  }
}
