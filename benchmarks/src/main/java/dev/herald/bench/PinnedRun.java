package dev.herald.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The suite's pinned-snapshot run ({@code --only=pinned}): for each Herald adapter and each kind of
 * pin, the {@link Pinned} workload in its own JVM, on a server with durable commits (an embedded
 * one of its own, {@link BenchDatabase#DURABLE_SETTINGS}, or the server the user named, as it is
 * configured), and a Markdown table with the targets: during the pin, delivered ≥ 99 % of
 * offered and p99 commit → start ≤ 1 s.
 *
 * <p>Options: {@code -Dherald.bench.pinned.rate} (800 sends/s), {@code
 * -Dherald.bench.pinned.seconds} (the pin, 180 s; 30 s before, 60 s after), {@code
 * -Dherald.bench.pinned.reads=orders,tasks} (what the pin's transaction read: a business table, or
 * the task table itself, which also keeps its partitions from being truncated; {@code none}: no
 * pin, a steady run of the same phases). Smoke: 3 s phases at 200/s, the pin reading the task
 * table.
 */
final class PinnedRun {

  /** The targets during the pin. */
  static final double MIN_DELIVERED_PCT = 99.0;

  static final double MAX_P99_MS = 1000.0;

  private final Children children;
  private final List<String> drivers;
  private final Consumer<String> fail;
  private final int rate;
  private final int[] seconds;
  private final List<String> reads;
  private final int warmupSends;
  private final StringBuilder out = new StringBuilder();
  private final StringBuilder steady = new StringBuilder();

  PinnedRun(Children children, List<String> drivers, boolean smoke, Consumer<String> fail) {
    this.children = children;
    this.drivers = drivers;
    this.fail = fail;
    this.rate = smoke ? 200 : Integer.getInteger("herald.bench.pinned.rate", 800);
    int pin = smoke ? 3 : Integer.getInteger("herald.bench.pinned.seconds", 180);
    this.seconds = smoke ? new int[] {3, 3, 3} : new int[] {30, pin, 60};
    this.reads =
        List.of(
            System.getProperty("herald.bench.pinned.reads", smoke ? "tasks" : "orders,tasks")
                .split(","));
    for (String r : reads) {
      if (!List.of("orders", "tasks", "none").contains(r)) {
        throw new IllegalArgumentException(
            "herald.bench.pinned.reads: '" + r + "', expected orders, tasks or none");
      }
    }
    this.warmupSends = smoke ? 300 : 10_000;
  }

  /** Runs every (adapter, pin) pair; the suite's own server is never closed here. */
  void run(BenchDatabase suiteDb) {
    try (BenchDatabase own = suiteDb.embeddedHere ? BenchDatabase.startDurableEmbedded() : null) {
      BenchDatabase db = own != null ? own : suiteDb;
      long pgPid = db.postmasterPid();
      out.append("\n### Pinned snapshot\n\n- server: PostgreSQL ")
          .append(db.queryString("SHOW server_version"))
          .append(", ")
          .append(db.describe())
          .append(", fsync ")
          .append(db.queryString("SHOW fsync"))
          .append(", synchronous_commit ")
          .append(db.queryString("SHOW synchronous_commit"))
          .append(", autovacuum ")
          .append(db.queryString("SHOW autovacuum"))
          .append(String.format(Locale.ROOT, "\n- %d sends/s, one per transaction; ", rate))
          .append(seconds[0])
          .append(" s, then a REPEATABLE READ snapshot held ")
          .append(seconds[1])
          .append(" s, then ")
          .append(seconds[2])
          .append(
              " s; target during the pin: delivered ≥ 99 % of offered, p99 commit → start ≤ 1 s")
          .append("\n\n| system | pin reads | phase | committed/s | delivered/s (% of offered) |")
          .append(" commit → start p50 / p99 / max ms | sender wait p99 / max ms | max backlog |")
          .append(" max dead tuples | max MB | truncations |\n")
          .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      List<String> notes = new ArrayList<>();
      for (String pin : reads) {
        for (String d : drivers) {
          Map<String, Object> r = one(db, pgPid, d, pin);
          if (r != null) {
            notes.add(render(d, pin, r));
          }
        }
      }
      out.append('\n');
      for (String n : notes) {
        out.append("- ").append(n).append('\n');
      }
      if (!steady.isEmpty()) {
        out.append("\nSteady runs (no pin), window by window; flat: in every window the backlog")
            .append(" stays under one second of sends and p99 commit → start under 1 s\n\n")
            .append("| system | from s | committed/s | delivered/s | commit → start p50 / p99 /")
            .append(" max ms | max backlog | max dead tuples | max MB |\n")
            .append("|---|---:|---:|---:|---:|---:|---:|---:|\n")
            .append(steady);
      }
    }
  }

  boolean isEmpty() {
    return out.isEmpty();
  }

  String render() {
    return out.toString();
  }

  private Map<String, Object> one(BenchDatabase db, long pgPid, String driver, String pin) {
    Duration limit = Duration.ofSeconds(300L + 2L * (seconds[0] + seconds[1] + seconds[2]));
    return children.run(
        limit,
        db,
        pgPid,
        "pinned-" + pin + "-" + driver,
        List.of("-Xmx1g"),
        true,
        "herald-pinned",
        driver,
        Integer.toString(rate),
        Integer.toString(seconds[0]),
        Integer.toString(seconds[1]),
        Integer.toString(seconds[2]),
        pin,
        Integer.toString(warmupSends),
        "120");
  }

  @SuppressWarnings("unchecked")
  private String render(String driver, String pin, Map<String, Object> r) {
    String system = driver.equals("r2dbc") ? "Herald R2DBC" : "Herald Vert.x";
    String verdict = "no pin: a steady run, nothing judged";
    for (Map<String, Object> p : (List<Map<String, Object>>) r.get("phases")) {
      Map<String, Object> lat = (Map<String, Object>) p.get("commitToStart");
      Map<String, Object> wait = (Map<String, Object>) p.get("senderWait");
      double pct = num(p, "deliveredPctOfOffered");
      double p99 = num(lat, "p99");
      row(
          out,
          system,
          pin,
          p.get("phase"),
          Table.fmt0(num(p, "committedPerSecond")),
          Table.fmt0(num(p, "deliveredPerSecond")) + String.format(Locale.ROOT, " (%.1f %%)", pct),
          latency(lat),
          String.format(Locale.ROOT, "%.1f / %.0f", num(wait, "p99"), num(wait, "max")),
          Table.fmt0(num(p, "maxBacklog")),
          Table.fmt0(num(p, "maxDeadTuples")),
          String.format(Locale.ROOT, "%.1f", num(p, "maxTableMb")),
          Table.fmt0(num(p, "truncations")));
      if ("pinned".equals(p.get("phase")) && !pin.equals("none")) {
        boolean met = pct >= MIN_DELIVERED_PCT && p99 <= MAX_P99_MS;
        verdict = met ? "meets the target during the pin" : "MISSES the target during the pin";
      }
    }
    if (pin.equals("none")) {
      verdict = steadyWindows(system, (List<Map<String, Object>>) r.get("windows"));
    }
    long undelivered = (long) num(r, "undelivered");
    long duplicates = (long) num(r, "duplicates");
    if (undelivered != 0 || num(r, "failures") != 0 || r.get("pinFailure") != null) {
      fail.accept(
          "pinned "
              + pin
              + " "
              + driver
              + ": undelivered "
              + undelivered
              + ", failed sends "
              + r.get("failures")
              + " (first: "
              + r.get("firstFailure")
              + "), pin failure "
              + r.get("pinFailure"));
    }
    Map<String, Object> across = (Map<String, Object>) r.get("senderWaitAcrossTruncation");
    StringBuilder size = new StringBuilder();
    for (List<Object> s : (List<List<Object>>) r.get("sizeOverTime")) {
      if (((Number) s.get(0)).longValue() % 30 == 0) {
        size.append(size.isEmpty() ? "" : ", ").append(s.get(0)).append(" s ").append(s.get(1));
      }
    }
    return String.format(
        Locale.ROOT,
        "%s, pin reads %s: %s (pin held %.0f s); %s; %d undelivered, %d duplicates;"
            + " longest sender wait across a truncation %.0f ms (%s seconds with one);"
            + " table MB over time: %s",
        system,
        pin,
        verdict,
        num(r, "pinHeldSeconds"),
        r.get("config"),
        undelivered,
        duplicates,
        num(across, "longestMs"),
        across.get("secondsWithATruncation"),
        size);
  }

  /** Adds a steady run's windows to their table; says whether every one stayed flat. */
  @SuppressWarnings("unchecked")
  private String steadyWindows(String system, List<Map<String, Object>> windows) {
    List<String> over = new ArrayList<>();
    for (Map<String, Object> w : windows) {
      Map<String, Object> lat = (Map<String, Object>) w.get("commitToStart");
      double p99 = num(lat, "p99");
      double backlog = num(w, "maxBacklog");
      row(
          steady,
          system,
          w.get("phase"),
          Table.fmt0(num(w, "committedPerSecond")),
          Table.fmt0(num(w, "deliveredPerSecond")),
          latency(lat),
          Table.fmt0(backlog),
          Table.fmt0(num(w, "maxDeadTuples")),
          String.format(Locale.ROOT, "%.1f", num(w, "maxTableMb")));
      if (backlog >= rate || p99 > MAX_P99_MS) {
        over.add(w.get("phase") + " s");
      }
    }
    return over.isEmpty()
        ? "flat in all " + windows.size() + " windows"
        : "NOT FLAT in the windows from " + String.join(", ", over);
  }

  /** Appends one Markdown table row. */
  private static void row(StringBuilder to, Object... cells) {
    to.append('|');
    for (Object c : cells) {
      to.append(' ').append(c).append(" |");
    }
    to.append('\n');
  }

  /** Commit → start p50 / p99 / max in ms. */
  private static String latency(Map<String, Object> lat) {
    return String.format(
        Locale.ROOT, "%.1f / %.1f / %.0f", num(lat, "p50"), num(lat, "p99"), num(lat, "max"));
  }

  private static double num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : -1;
  }
}
