package dev.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: send {@code i} is due at {@code t0 + i / rate}, whatever happened to
 * earlier sends, and every latency is measured from that intended time, so a stall (GC, a slow
 * commit, a full pool) shows up in the figures instead of silently lowering the offered load
 * (coordinated omission).
 *
 * <p>Three instants per task: intended send, commit acknowledged to the sender, receiver started.
 * Sends in the warm-up window run but are not recorded. The backlog (tasks committed but not yet
 * completed) and the CPU time of this JVM and of the server are sampled every second over the whole
 * run; CPU is reported over the recorded window.
 */
final class OpenLoop {

  /** Starts business transactions; must not block the generator thread. */
  interface Sender {

    /**
     * Starts one business transaction that carries {@code count} tasks, sequence numbers {@code
     * firstSeq} to {@code firstSeq + count - 1}, each with its own order row: {@code committed}
     * runs once when it commits, {@code failed} once if it fails (no task of it exists then).
     */
    void send(long firstSeq, int count, Runnable committed, Consumer<Throwable> failed);

    /** One task in a transaction of its own. */
    default void send(long seq, Runnable committed, Consumer<Throwable> failed) {
      send(seq, 1, committed, failed);
    }
  }

  private final int rate;
  private final int jitWarmupSends;
  private final int warmupSends;
  private final int total;
  private final long periodNanos;
  private final AtomicLongArray intended;
  private final AtomicLongArray committed;
  private final AtomicLongArray started;
  private final AtomicLong receptions = new AtomicLong();
  private final AtomicLong distinctReceived = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong jitWarmupReceived = new AtomicLong();
  private volatile Throwable firstFailure;

  /**
   * A run.
   *
   * @param rate offered load, sends per second
   * @param jitWarmupSends sends made as fast as 16 concurrent callers allow before the open loop,
   *     and waited for: the JIT compiles the send and delivery paths before anything is timed
   * @param warmupSeconds seconds at the offered rate that are run but not recorded
   * @param measureSeconds seconds at the offered rate that are recorded
   */
  OpenLoop(int rate, int jitWarmupSends, int warmupSeconds, int measureSeconds) {
    this.rate = rate;
    this.jitWarmupSends = jitWarmupSends;
    this.warmupSends = rate * warmupSeconds;
    this.total = rate * (warmupSeconds + measureSeconds);
    this.periodNanos = 1_000_000_000L / rate;
    this.intended = new AtomicLongArray(total);
    this.committed = new AtomicLongArray(total);
    this.started = new AtomicLongArray(total);
  }

  /** Called by the receiver as it starts: the instant that latency is measured to. */
  void received(long seq) {
    long now = System.nanoTime();
    if (seq >= total) {
      jitWarmupReceived.incrementAndGet();
      return;
    }
    receptions.incrementAndGet();
    if (started.compareAndSet((int) seq, 0, now)) {
      distinctReceived.incrementAndGet();
    }
  }

  /**
   * Runs the load and waits for every task's receiver to have started.
   *
   * @param sender starts one business transaction
   * @param backlog the number of tasks committed and not yet completed (blocking, harness only)
   * @param drainTimeoutSeconds how long to wait after the last send
   * @return the figures
   * @throws InterruptedException if interrupted
   */
  Map<String, Object> run(
      Sender sender, LongSupplier backlog, int drainTimeoutSeconds, long postmasterPid)
      throws InterruptedException {
    jitWarmup(sender, drainTimeoutSeconds);
    List<long[]> samples = new ArrayList<>();
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    Thread sampler =
        Pace.every(
            "backlog-sampler",
            t0,
            TimeUnit.SECONDS.toNanos(1),
            elapsed -> {
              long n = backlog.getAsLong();
              Cpu.Reading cpu = Cpu.read(postmasterPid);
              synchronized (samples) {
                samples.add(new long[] {elapsed, n, cpu.jvmCpuNanos(), cpu.pgCpuNanos()});
              }
            });

    long maxLagNanos =
        Pace.open(
            t0,
            periodNanos,
            total,
            seq -> {
              intended.set((int) seq, t0 + seq * periodNanos);
              sender.send(seq, () -> committed.set((int) seq, System.nanoTime()), this::failed);
            });
    long sendEnd = System.nanoTime();
    long deadline = sendEnd + TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
    while (distinctReceived.get() + failures.get() < total && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long drainedAt = System.nanoTime();
    if (total / rate >= 10) {
      // One more sample once everything arrived, so the end of the run is seen too.
      Thread.sleep(1100);
    }
    sampler.interrupt();
    sampler.join(5000);

    Histogram sendToStart = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
    Histogram commitToStart = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
    Histogram sendToCommit = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
    long missing = 0;
    long missingCommitted = 0;
    for (int i = warmupSends; i < total; i++) {
      long s = started.get(i);
      long c = committed.get(i);
      if (s == 0) {
        missing++;
        // A send whose commit never came back is the sending side's; a committed one, the
        // dispatcher's.
        missingCommitted += c != 0 ? 1 : 0;
        continue;
      }
      sendToStart.recordValue(Math.max(0, (s - intended.get(i)) / 1000));
      if (c != 0) {
        // The receiver may start a few microseconds before the sender sees its commit ack.
        commitToStart.recordValue(Math.max(0, (s - c) / 1000));
        sendToCommit.recordValue(Math.max(0, (c - intended.get(i)) / 1000));
      }
    }

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rate", rate);
    r.put("jitWarmupSends", jitWarmupSends);
    r.put("warmupSends", warmupSends);
    r.put("measuredSends", total - warmupSends);
    r.put("failures", failures.get());
    r.put("firstFailure", firstFailure == null ? null : firstFailure.toString());
    r.put("missing", missing);
    r.put("missingCommitted", missingCommitted);
    r.put("duplicates", receptions.get() - distinctReceived.get());
    r.put("generatorMaxLagMs", maxLagNanos / 1e6);
    r.put("drainAfterLastSendMs", (drainedAt - sendEnd) / 1e6);
    r.put("sendToStart", percentiles(sendToStart));
    r.put("commitToStart", percentiles(commitToStart));
    r.put("sendToCommit", percentiles(sendToCommit));
    r.put("backlog", backlog(samples, t0));
    return r;
  }

  // Sequence numbers from total up belong to the warm-up; received() only counts them.
  private void jitWarmup(Sender sender, int timeoutSeconds) throws InterruptedException {
    Pace.warmUp(
        sender, jitWarmupSends, total, jitWarmupReceived::get, this::failed, timeoutSeconds);
  }

  private void failed(Throwable e) {
    failures.incrementAndGet();
    if (firstFailure == null) {
      firstFailure = e;
    }
  }

  private Map<String, Object> backlog(List<long[]> all, long t0) {
    List<long[]> samples;
    synchronized (all) {
      samples = new ArrayList<>(all);
    }
    // The measured window: from the end of warm-up to the last intended send.
    double from = (double) warmupSends / rate;
    double to = (double) total / rate;
    List<long[]> window = new ArrayList<>();
    List<Long> series = new ArrayList<>();
    for (long[] s : samples) {
      series.add(s[1]);
      double t = s[0] / 1e9;
      if (t >= from && t <= to) {
        window.add(s);
      }
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("series", series);
    long max = 0;
    for (long[] s : window) {
      max = Math.max(max, s[1]);
    }
    b.put("maxInWindow", max);
    b.put("firstInWindow", window.isEmpty() ? -1 : window.get(0)[1]);
    b.put("lastInWindow", window.isEmpty() ? -1 : window.get(window.size() - 1)[1]);
    // Least-squares slope of the backlog over the window, in tasks per second.
    double slope = 0;
    if (window.size() >= 3) {
      double n = window.size();
      double sx = 0;
      double sy = 0;
      double sxx = 0;
      double sxy = 0;
      for (long[] s : window) {
        double x = s[0] / 1e9;
        double y = s[1];
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
      }
      double d = n * sxx - sx * sx;
      slope = d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }
    b.put("slopePerSecond", slope);
    b.put("samplesInWindow", window.size());
    if (window.size() >= 2) {
      long[] first = window.get(0);
      long[] last = window.get(window.size() - 1);
      double wall = last[0] - first[0];
      b.put("jvmCpuPct", 100 * (last[2] - first[2]) / wall);
      b.put("pgCpuPct", first[3] < 0 ? -1 : 100 * (last[3] - first[3]) / wall);
    }
    return b;
  }

  static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("count", h.getTotalCount());
    p.put("p50", h.getValueAtPercentile(50) / 1000.0);
    p.put("p99", h.getValueAtPercentile(99) / 1000.0);
    p.put("p999", h.getValueAtPercentile(99.9) / 1000.0);
    p.put("max", h.getMaxValue() / 1000.0);
    p.put("mean", h.getMean() / 1000.0);
    return p;
  }
}
