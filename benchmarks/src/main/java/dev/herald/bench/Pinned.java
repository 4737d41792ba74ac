package dev.herald.bench;

import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * The pinned-snapshot workload of one Herald adapter, in its own JVM: one-send business
 * transactions at a steady rate, Herald with its out-of-the-box options, in three phases. After the
 * first, a {@code REPEATABLE READ} transaction on a connection of its own takes its snapshot (with
 * a {@code SELECT count(*)} of the business table, or of the task table) and stays open for the
 * second phase, so that no dead tuple of the task table can be removed meanwhile; it ends when the
 * third phase starts. Without a pin ({@code none}), the same phases make a steady run.
 *
 * <p>Every second it samples the backlog, the task table's dead tuples and size (summed over its
 * partitions) and each partition's file node, which changes when the partition is truncated. Per
 * phase it reports what was offered, committed and delivered in the phase, commit → receiver start
 * of the phase's sends, and the senders' wait (intended send → commit); and the longest sender wait
 * of the sends in flight across a truncation. Figures are reported, never asserted.
 */
final class Pinned {

  private final int rate;
  private final int[] phaseSeconds;
  private final String pinReads;
  private final int total;
  private final long periodNanos;
  private final AtomicLongArray committed;
  private final AtomicLongArray started;
  private final AtomicLong distinct = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong warmupReceived = new AtomicLong();
  private volatile Throwable firstFailure;

  private Pinned(int rate, int[] phaseSeconds, String pinReads) {
    this.rate = rate;
    this.phaseSeconds = phaseSeconds;
    this.pinReads = pinReads;
    this.total = rate * (phaseSeconds[0] + phaseSeconds[1] + phaseSeconds[2]);
    this.periodNanos = 1_000_000_000L / rate;
    this.committed = new AtomicLongArray(total);
    this.started = new AtomicLongArray(total);
  }

  /**
   * Entry point of {@code herald-pinned}.
   *
   * @param args driver, sends per second, seconds before / during / after the pin, what the pin
   *     reads ({@code orders} or {@code tasks}; {@code none}: no pin, a steady run), JIT warm-up
   *     sends, drain timeout seconds
   */
  static Map<String, Object> herald(BenchDatabase db, long pgPid, String[] args) throws Exception {
    String driver = args[1];
    int[] seconds = {
      Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5])
    };
    if (!List.of("orders", "tasks", "none").contains(args[6])) {
      throw new IllegalArgumentException("the pin reads orders, tasks or none: " + args[6]);
    }
    Pinned p = new Pinned(Integer.parseInt(args[2]), seconds, args[6]);
    try (UnderLoad u =
        UnderLoad.herald(
            db,
            driver,
            "bench_pinned_" + driver,
            HeraldOptions.defaults(),
            ReceiverOptions.defaults(),
            p::received)) {
      Map<String, Object> r = p.run(u, Integer.parseInt(args[7]), Integer.parseInt(args[8]), pgPid);
      r.put("driver", driver);
      r.put(
          "config",
          "Herald's defaults (maxInFlight 256, concurrency 16, poll 1 s), pool "
              + UnderLoad.POOL
              + (HeraldSide.DISPATCHER_POOL > 0
                  ? ", the dispatcher on a pool of its own of " + HeraldSide.DISPATCHER_POOL
                  : " shared by senders and dispatcher"));
      return r;
    }
  }

  private void received(long seq) {
    long now = System.nanoTime();
    if (seq >= total) {
      warmupReceived.incrementAndGet();
      return;
    }
    if (started.compareAndSet((int) seq, 0, now)) {
      distinct.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
  }

  private Map<String, Object> run(UnderLoad u, int warmupSends, int drainTimeoutSeconds, long pgPid)
      throws Exception {
    Pace.warmUp(u.sender, warmupSends, total, warmupReceived::get, e -> {}, drainTimeoutSeconds);
    List<long[]> samples = new ArrayList<>(); // {elapsed ns, backlog, dead, bytes, truncations}
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long pinFrom = t0 + TimeUnit.SECONDS.toNanos(phaseSeconds[0]);
    long pinTo = pinFrom + TimeUnit.SECONDS.toNanos(phaseSeconds[1]);
    long[] pinned = new long[2];
    Throwable[] pinFailure = new Throwable[1];
    Thread pin = new Thread(() -> hold(u, pinFrom, pinTo, pinned, pinFailure), "pin");
    pin.setDaemon(true);
    try (Connection sampler = u.db.connect()) {
      TableWatch watch = new TableWatch(sampler, u.table);
      Thread ticker =
          Pace.every(
              "pinned-sampler",
              t0,
              TimeUnit.SECONDS.toNanos(1),
              elapsed -> {
                long[] s = watch.sample();
                synchronized (samples) {
                  samples.add(new long[] {elapsed, s[0], s[1], s[2], s[3]});
                }
              });
      if (!pinReads.equals("none")) {
        pin.start();
      }
      long maxLag =
          Pace.open(
              t0,
              periodNanos,
              total,
              seq ->
                  u.sender.send(
                      seq,
                      () -> committed.set((int) seq, System.nanoTime()),
                      e -> {
                        failures.incrementAndGet();
                        if (firstFailure == null) {
                          firstFailure = e;
                        }
                      }));
      long sendEnd = System.nanoTime();
      long deadline = sendEnd + TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
      while (distinct.get() + failures.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long drained = System.nanoTime();
      // A few more samples once everything arrived: the last truncations and the size after them.
      Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(10, phaseSeconds[2])));
      ticker.interrupt();
      ticker.join(5000);
      pin.join(5000);
      List<long[]> all;
      synchronized (samples) {
        all = new ArrayList<>(samples);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rate", rate);
      r.put("pinReads", pinReads);
      r.put("phaseSeconds", List.of(phaseSeconds[0], phaseSeconds[1], phaseSeconds[2]));
      r.put("pinHeldSeconds", pinned[1] == 0 ? -1 : (pinned[1] - pinned[0]) / 1e9);
      r.put("pinFailure", pinFailure[0] == null ? null : pinFailure[0].toString());
      r.put("failures", failures.get());
      r.put("firstFailure", firstFailure == null ? null : firstFailure.toString());
      r.put("undelivered", total - distinct.get() - failures.get());
      r.put("duplicates", duplicates.get());
      r.put("generatorMaxLagMs", maxLag / 1e6);
      r.put("drainAfterLastSendMs", (drained - sendEnd) / 1e6);
      List<Map<String, Object>> phases = new ArrayList<>();
      long from = t0;
      int firstSeq = 0;
      for (int k = 0; k < 3; k++) {
        long to = from + TimeUnit.SECONDS.toNanos(phaseSeconds[k]);
        int lastSeq = firstSeq + rate * phaseSeconds[k];
        phases.add(
            phase(
                List.of("before", "pinned", "after").get(k), firstSeq, lastSeq, from, to, t0, all));
        from = to;
        firstSeq = lastSeq;
      }
      r.put("phases", phases);
      r.put("windows", windows(t0, all));
      r.put("senderWaitAcrossTruncation", acrossTruncations(t0, all));
      r.put("sizeOverTime", sizeOverTime(all));
      return r;
    }
  }

  /** The pin: a snapshot taken at {@code from} and held until {@code to}. */
  private void hold(UnderLoad u, long from, long to, long[] pinned, Throwable[] failure) {
    try {
      TimeUnit.NANOSECONDS.sleep(from - System.nanoTime());
      try (Connection c = u.db.connect()) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT count(*) FROM "
                        + (pinReads.equals("tasks") ? u.table : Tables.ORDER))) {
          rs.next();
        }
        pinned[0] = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(to - System.nanoTime());
        c.commit();
        pinned[1] = System.nanoTime();
      }
    } catch (SQLException | RuntimeException e) {
      failure[0] = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The whole run in windows of a tenth of it (at most a minute, at least a second), each like a
   * phase: whether a long steady run stays flat.
   */
  private List<Map<String, Object>> windows(long t0, List<long[]> samples) {
    int runSeconds = phaseSeconds[0] + phaseSeconds[1] + phaseSeconds[2];
    int width = Math.max(1, Math.min(60, runSeconds / 10));
    List<Map<String, Object>> out = new ArrayList<>();
    for (int at = 0; at + width <= runSeconds; at += width) {
      out.add(
          phase(
              Integer.toString(at),
              at * rate,
              (at + width) * rate,
              t0 + TimeUnit.SECONDS.toNanos(at),
              t0 + TimeUnit.SECONDS.toNanos(at + width),
              t0,
              samples));
    }
    return out;
  }

  /**
   * Phase {@code name}: sends {@code firstSeq} … {@code lastSeq - 1}, intended within [{@code
   * from}, {@code to}); "delivered" counts the receivers of any phase that started within that
   * window.
   */
  private Map<String, Object> phase(
      String name, int firstSeq, int lastSeq, long from, long to, long t0, List<long[]> samples) {
    Histogram commitToStart = new Histogram(3);
    Histogram senderWait = new Histogram(3);
    long committedCount = 0;
    for (int i = firstSeq; i < lastSeq; i++) {
      long c = committed.get(i);
      if (c == 0) {
        continue;
      }
      committedCount++;
      senderWait.recordValue(Math.max(0, (c - (t0 + i * periodNanos)) / 1000));
      long s = started.get(i);
      if (s != 0) {
        commitToStart.recordValue(Math.max(0, (s - c) / 1000));
      }
    }
    long startedInWindow = 0;
    for (int i = 0; i < total; i++) {
      long s = started.get(i);
      if (s >= from && s < to) {
        startedInWindow++;
      }
    }
    long maxBacklog = 0;
    long maxDead = 0;
    long maxBytes = 0;
    long truncations = 0;
    long truncationsBefore = -1;
    for (long[] s : samples) {
      long at = t0 + s[0];
      if (at < from || at > to) {
        continue;
      }
      maxBacklog = Math.max(maxBacklog, s[1]);
      maxDead = Math.max(maxDead, s[2]);
      maxBytes = Math.max(maxBytes, s[3]);
      if (truncationsBefore < 0) {
        truncationsBefore = s[4];
      }
      truncations = s[4] - truncationsBefore;
    }
    double seconds = (to - from) / 1e9;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("phase", name);
    p.put("seconds", seconds);
    p.put("offered", lastSeq - firstSeq);
    p.put("committedPerSecond", committedCount / seconds);
    p.put("deliveredPerSecond", startedInWindow / seconds);
    p.put("deliveredPctOfOffered", 100.0 * startedInWindow / (lastSeq - firstSeq));
    p.put("commitToStart", OpenLoop.percentiles(commitToStart));
    p.put("senderWait", OpenLoop.percentiles(senderWait));
    p.put("maxBacklog", maxBacklog);
    p.put("maxDeadTuples", maxDead);
    p.put("maxTableMb", maxBytes / 1048576.0);
    p.put("truncations", truncations);
    return p;
  }

  /**
   * For every second in which a partition was truncated, the longest intended send → commit of the
   * sends in flight during that second; and how many such seconds there were.
   */
  private Map<String, Object> acrossTruncations(long t0, List<long[]> samples) {
    long longest = 0;
    int seconds = 0;
    for (int j = 1; j < samples.size(); j++) {
      if (samples.get(j)[4] == samples.get(j - 1)[4]) {
        continue;
      }
      seconds++;
      long from = t0 + samples.get(j - 1)[0];
      long to = t0 + samples.get(j)[0];
      // Sends intended up to 10 s before the second may still have been waiting in it.
      int first = (int) Math.max(0, (from - t0) / periodNanos - 10L * rate);
      int last = (int) Math.min(total, (to - t0) / periodNanos + 1);
      for (int i = first; i < last; i++) {
        long c = committed.get(i);
        long intended = t0 + i * periodNanos;
        if (c != 0 && intended <= to && c >= from) {
          longest = Math.max(longest, c - intended);
        }
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("secondsWithATruncation", seconds);
    r.put("longestMs", longest / 1e6);
    return r;
  }

  /** The table's size and dead tuples every 10 s: {second, MB, dead tuples}. */
  private static List<List<Object>> sizeOverTime(List<long[]> samples) {
    List<List<Object>> out = new ArrayList<>();
    for (long[] s : samples) {
      long second = s[0] / 1_000_000_000L;
      if (second % 10 == 0) {
        out.add(List.of(second, Math.round(s[3] / 104857.6) / 10.0, s[2]));
      }
    }
    return out;
  }

  /**
   * The task table seen from outside, its own connection used by one thread: backlog (ready and
   * due, not leased), dead tuples and bytes summed over its partitions, and a running count of
   * truncations (a partition whose file node changed since the previous sample).
   */
  private static final class TableWatch {
    private final Connection c;
    private final String sql;
    private final Map<String, Long> fileNodes = new LinkedHashMap<>();
    private long truncations;

    TableWatch(Connection c, String table) {
      this.c = c;
      String tree = "(SELECT relid FROM pg_partition_tree('" + table + "') WHERE isleaf)";
      this.sql =
          "SELECT (SELECT count(*) FROM "
              + table
              + " WHERE state = 'ready' AND (locked_until IS NULL OR locked_until <= now())),"
              + " (SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relid IN "
              + tree
              + "), (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM "
              + tree
              + " t), (SELECT string_agg(relname || '=' || relfilenode, ',') FROM pg_class"
              + " WHERE oid IN "
              + tree
              + ")";
    }

    long[] sample() {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        String nodes = rs.getString(4);
        if (nodes != null) {
          for (String pair : nodes.split(",")) {
            String[] kv = pair.split("=");
            Long was = fileNodes.put(kv[0], Long.parseLong(kv[1]));
            if (was != null && was != Long.parseLong(kv[1])) {
              truncations++;
            }
          }
        }
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), truncations};
      } catch (SQLException e) {
        return new long[] {-1, -1, -1, truncations};
      }
    }
  }
}
