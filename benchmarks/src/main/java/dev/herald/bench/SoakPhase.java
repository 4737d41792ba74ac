package dev.herald.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One soak phase: the open loop ({@link Pace#open}) in business transactions of {@link
 * Soak.Phase#sendsPerTransaction()} sends, transaction {@code j} due at {@code t0 + j × k / rate}
 * and carrying sends {@code j × k} … {@code j × k + k − 1}, each with its own sequence number and
 * the transaction's commit instant. Every second it samples the backlog and the leased rows; at the
 * end of every interval it writes a row: backlog, commit → receiver start percentiles of the
 * receivers that started in that interval, dead tuples, leased rows, sends not yet committed and
 * heap after GC ({@link HeapWatch}). Then it waits for the phase's tasks to be delivered.
 */
final class SoakPhase {

  private final int index;
  private final Soak.Phase phase;
  private final SoakCounters r;
  private final int intervalSeconds;
  private final int drainTimeoutSeconds;

  SoakPhase(
      int index, Soak.Phase phase, SoakCounters r, int intervalSeconds, int drainTimeoutSeconds) {
    this.index = index;
    this.phase = phase;
    this.r = r;
    this.intervalSeconds = intervalSeconds;
    this.drainTimeoutSeconds = drainTimeoutSeconds;
  }

  /** Runs the phase and returns its figures. */
  Map<String, Object> run(OpenLoop.Sender sender, SoakProbe probe) throws Exception {
    int total = phase.sends();
    Histogram whole = new Histogram(3);
    // Written by the sampler thread, read by this one (also if the sampler overran its wait).
    List<Map<String, Object>> rows = new CopyOnWriteArrayList<>();
    int intervals = Math.max(1, phase.seconds() / intervalSeconds);
    CountDownLatch allRows = new CountDownLatch(intervals);
    long[] start = new long[2];
    long[] intervalMax = {-1};
    // At the interval's backlog peak: sends committed and receivers started in the second before
    // it, and sends not yet committed then; read with the peak to tell a burst of commits (many
    // tasks made visible at once) from a dispatcher that fell behind.
    long[] atPeak = new long[3];
    long[] previous = {r.committedCount.get(), r.distinct.get()};
    long intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    Thread ticker =
        Pace.every(
            "soak-sampler",
            t0,
            TimeUnit.SECONDS.toNanos(1),
            elapsed -> {
              long[] b = probe.backlog();
              long committed = r.committedCount.get();
              long started = r.distinct.get();
              if (elapsed == 0) {
                start[0] = b[0];
                start[1] = b[1];
              }
              if (b[0] > intervalMax[0]) {
                intervalMax[0] = b[0];
                atPeak[0] = committed - previous[0];
                atPeak[1] = started - previous[1];
                atPeak[2] = r.inFlight();
              }
              previous[0] = committed;
              previous[1] = started;
              if (elapsed > 0 && elapsed % intervalNanos == 0 && allRows.getCount() > 0) {
                Histogram h = r.commitToStart.getIntervalHistogram();
                whole.add(h);
                Map<String, Object> row =
                    row(elapsed / 1_000_000_000L, b, intervalMax[0], h, probe);
                row.put("peakCommittedSecondBefore", atPeak[0]);
                row.put("peakStartedSecondBefore", atPeak[1]);
                row.put("peakUncommitted", atPeak[2]);
                rows.add(row);
                System.out.println("soak phase " + index + " " + row);
                intervalMax[0] = -1;
                allRows.countDown();
              }
            });
    long maxLag = send(t0, sender);
    long sendEnd = System.nanoTime();
    long committedBySendEnd = r.committedCount.get();
    long uncommittedAtSendEnd = r.inFlight();
    allRows.await(intervalSeconds + 60L, TimeUnit.SECONDS);
    ticker.interrupt();
    ticker.join(5000);
    long deadline = sendEnd + TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
    while (r.distinct.get() + r.failures.get() + r.shed.get() < total
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    long drained = System.nanoTime();
    Histogram tail = r.commitToStart.getIntervalHistogram();
    whole.add(tail);

    Map<String, Object> p = new LinkedHashMap<>();
    p.put("phase", index);
    p.put("rate", phase.rate());
    p.put("seconds", phase.seconds());
    p.put("sends", total);
    p.put("sendsPerTransaction", phase.sendsPerTransaction());
    p.put("sendSeconds", (sendEnd - t0) / 1e9);
    p.put("committedBySendEnd", committedBySendEnd);
    p.put("uncommittedAtSendEnd", uncommittedAtSendEnd);
    p.put("committed", r.committedCount.get());
    p.put("neverCommitted", r.inFlight());
    p.put("committedNotStarted", Math.max(0, r.committedCount.get() - r.distinct.get()));
    p.put("failures", r.failures.get());
    p.put("firstFailure", r.firstFailure == null ? null : r.firstFailure.toString());
    p.put("shed", r.shed.get());
    p.put("maxInFlight", Soak.MAX_IN_FLIGHT);
    p.put("undelivered", total - r.distinct.get() - r.failures.get() - r.shed.get());
    p.put("duplicates", r.duplicates.get());
    p.put("generatorMaxLagMs", maxLag / 1e6);
    p.put("drainAfterLastSendMs", (drained - sendEnd) / 1e6);
    p.put("backlogStart", start[0]);
    p.put("leasedStart", start[1]);
    p.put("rows", rows);
    p.put("afterPhase", row(-1, probe.backlog(), -1, tail, probe));
    p.put("commitToStart", OpenLoop.percentiles(whole));
    return p;
  }

  /**
   * The open loop in transactions of {@code k} sends, paced at {@code rate / k} per second; a
   * transaction due while more than {@link Soak#MAX_IN_FLIGHT} sends are not yet committed is shed
   * whole.
   *
   * @return the largest lag of a transaction behind its due time, in nanoseconds
   */
  private long send(long t0, OpenLoop.Sender sender) {
    int total = phase.sends();
    int k = phase.sendsPerTransaction();
    long firstSeq = index * Soak.PHASE_SEQ;
    return Pace.open(
        t0,
        k * 1_000_000_000L / phase.rate(),
        (total + k - 1) / k,
        j -> {
          int first = (int) (j * k);
          int n = Math.min(k, total - first);
          r.sent.addAndGet(n);
          if (r.inFlight() > Soak.MAX_IN_FLIGHT) {
            r.shed.addAndGet(n);
            return;
          }
          sender.send(firstSeq + first, n, () -> r.committed(first, n), e -> r.failed(n, e));
        });
  }

  private Map<String, Object> row(
      long second, long[] backlog, long backlogMax, Histogram h, SoakProbe probe) {
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
