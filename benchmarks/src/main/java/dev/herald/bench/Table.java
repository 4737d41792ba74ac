package dev.herald.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The suite's one Markdown table: a row per figure, a column per system (Herald R2DBC, Herald
 * Vert.x, db-scheduler) and a ratio column; the soak's summary rows come from {@link SoakTable}.
 * Every cell comes from a result of this run; a workload that failed or did not run says so.
 */
final class Table {

  private static final String[] COLUMNS = {"r2dbc", "vertx", "peer"};
  private static final String NOT_RUN = "—";
  private static final String FAILED = "FAILED";

  /** benchmark method -> driver -> {score, error}. */
  private final Map<String, Map<String, double[]>> enqueue = new HashMap<>();

  private final Map<String, Map<String, Object>> drain = new HashMap<>();
  private final Map<String, Map<String, Object>> drainKeyed = new HashMap<>();
  private final Map<String, Map<String, Object>> drainKept = new HashMap<>();

  /** Ordering keys of the keyed drain's backlog. */
  static final int ORDER_KEYS = 1_000;

  private final Map<Integer, Map<String, Map<String, Object>>> latency = new TreeMap<>();
  private final Map<String, Map<String, Object>> memory = new HashMap<>();
  private final List<String> ran = new ArrayList<>();
  int drainTasks;
  int memoryTasks;
  SoakTable soak;
  RelayTable relay;
  int measureSeconds;

  void enqueue(String benchmark, String driver, double score, double error) {
    enqueue
        .computeIfAbsent(benchmark, b -> new HashMap<>())
        .put(driver, new double[] {score, error});
    mark("enqueue");
  }

  void drain(String column, Map<String, Object> r) {
    drain.put(column, r);
    mark("drain");
  }

  void drainKeyed(String column, Map<String, Object> r) {
    drainKeyed.put(column, r);
  }

  void drainKept(String column, Map<String, Object> r) {
    drainKept.put(column, r);
  }

  void latency(int rate, String column, Map<String, Object> r) {
    latency.computeIfAbsent(rate, x -> new HashMap<>()).put(column, r);
    mark("latency");
  }

  void memory(String column, Map<String, Object> r) {
    memory.put(column, r);
    mark("memory");
  }

  private void mark(String phase) {
    if (!ran.contains(phase)) {
      ran.add(phase);
    }
  }

  String render(List<String> drivers) {
    StringBuilder t = new StringBuilder();
    t.append("| workload | Herald R2DBC | Herald Vert.x | db-scheduler | ratio |\n");
    t.append("|---|---:|---:|---:|---|\n");
    if (ran.contains("enqueue")) {
      enqueueRows(t, drivers);
    }
    if (ran.contains("drain")) {
      drainRows(t, drivers);
    }
    for (Map.Entry<Integer, Map<String, Map<String, Object>>> e : latency.entrySet()) {
      latencyRows(t, drivers, e.getKey(), e.getValue());
    }
    if (ran.contains("memory")) {
      memoryRows(t, drivers);
    }
    if (soak != null && !soak.isEmpty()) {
      soak.summaryRows(t);
    }
    if (relay != null && !relay.isEmpty()) {
      relay.summaryRows(t);
    }
    if (!drivers.contains("vertx")) {
      t.append("\nHerald Vert.x: not measured (the Vert.x adapter was not built into this run).\n");
    }
    return t.toString();
  }

  // ------------------------------------------------------------------ enqueue

  private void enqueueRows(StringBuilder t, List<String> drivers) {
    String[][] rows = {
      {"orderOnly", "enqueue, 8 callers: tx with 1 order INSERT, alone (tx/s)"},
      {"orderPlusPlainInsert", "enqueue: tx + 1 plain outbox INSERT, the baseline (tx/s)"},
      {"orderPlusSendToOne", "enqueue: tx + `sendReliable` to 1 receiver (tx/s)"},
      {"orderPlusSendToThree", "enqueue: tx + `sendReliable` to 3 receivers (tx/s)"},
      {"orderPlusSendToOneOrdered", "enqueue: tx + `sendReliable` to 1, ordering key (tx/s)"},
      {"orderPlusSendToOneDeduped", "enqueue: tx + `sendReliable` to 1, dedupe key (tx/s)"}
    };
    for (String[] row : rows) {
      Map<String, double[]> byDriver = enqueue.getOrDefault(row[0], Map.of());
      List<String> cells = new ArrayList<>();
      for (String c : COLUMNS) {
        if (c.equals("peer") || !drivers.contains(c)) {
          cells.add(NOT_RUN);
        } else {
          double[] s = byDriver.get(c);
          cells.add(
              s == null ? FAILED : fmt0(s[0]) + (Double.isNaN(s[1]) ? "" : " ± " + fmt0(s[1])));
        }
      }
      String ratio = "";
      if (row[0].startsWith("orderPlusSend")) {
        List<String> parts = new ArrayList<>();
        for (String d : drivers) {
          double[] s = byDriver.get(d);
          double[] base = enqueue.getOrDefault("orderPlusPlainInsert", Map.of()).get(d);
          if (s != null && base != null) {
            parts.add(label(d) + " " + fmt2(s[0] / base[0]));
          }
        }
        ratio = parts.isEmpty() ? "" : String.join(", ", parts) + " × baseline";
      } else if (row[0].equals("orderPlusPlainInsert")) {
        List<String> parts = new ArrayList<>();
        for (String d : drivers) {
          double[] s = byDriver.get(d);
          double[] alone = enqueue.getOrDefault("orderOnly", Map.of()).get(d);
          if (s != null && alone != null) {
            parts.add(label(d) + " " + fmt2(s[0] / alone[0]));
          }
        }
        ratio = parts.isEmpty() ? "" : String.join(", ", parts) + " × alone";
      }
      row(t, row[1], cells, ratio);
    }
  }

  // ------------------------------------------------------------------ drain

  private void drainRows(StringBuilder t, List<String> drivers) {
    List<String> rate = new ArrayList<>();
    List<String> cpu = new ArrayList<>();
    for (String c : COLUMNS) {
      Map<String, Object> r = drain.get(c);
      if (!c.equals("peer") && !drivers.contains(c)) {
        rate.add(NOT_RUN);
        cpu.add(NOT_RUN);
      } else if (r == null) {
        rate.add(FAILED);
        cpu.add(FAILED);
      } else {
        rate.add(fmt0(num(r, "tasksPerSecond")));
        cpu.add(cpu(r));
      }
    }
    row(
        t,
        "drain: " + fmt0(drainTasks) + " ready tasks, no-op receiver, to empty (tasks/s)",
        rate,
        ratioToPeer(drivers, drain, "tasksPerSecond", "Herald / db-scheduler"));
    row(t, "drain: CPU, JVM / PostgreSQL (% of one core)", cpu, "");
    row(
        t,
        "drain: the same, tasks under " + fmt0(ORDER_KEYS) + " ordering keys (tasks/s)",
        heraldRates(drainKeyed, drivers),
        "");
    row(t, "drain: the same, retention on (tasks/s)", heraldRates(drainKept, drivers), "");
  }

  private static List<String> heraldRates(
      Map<String, Map<String, Object>> runs, List<String> drivers) {
    List<String> cells = new ArrayList<>();
    for (String c : COLUMNS) {
      Map<String, Object> r = runs.get(c);
      if (c.equals("peer") || !drivers.contains(c)) {
        cells.add(NOT_RUN);
      } else {
        cells.add(r == null ? FAILED : fmt0(num(r, "tasksPerSecond")));
      }
    }
    return cells;
  }

  // ------------------------------------------------------------------ latency

  private void latencyRows(
      StringBuilder t, List<String> drivers, int rate, Map<String, Map<String, Object>> byColumn) {
    List<String> send = new ArrayList<>();
    List<String> commit = new ArrayList<>();
    List<String> backlog = new ArrayList<>();
    List<String> cpu = new ArrayList<>();
    for (String c : COLUMNS) {
      Map<String, Object> r = byColumn.get(c);
      if (!c.equals("peer") && !drivers.contains(c)) {
        for (List<String> l : List.of(send, commit, backlog, cpu)) {
          l.add(NOT_RUN);
        }
      } else if (r == null) {
        for (List<String> l : List.of(send, commit, backlog, cpu)) {
          l.add(FAILED);
        }
      } else {
        Map<String, Object> s = map(r, "sendToStart");
        send.add(
            ms(s, "p50") + " / " + ms(s, "p99") + " / " + ms(s, "p999") + " / " + ms(s, "max"));
        Map<String, Object> c2 = map(r, "commitToStart");
        commit.add(ms(c2, "p50") + " / " + ms(c2, "p99") + " / " + ms(c2, "max"));
        backlog.add(backlog(rate, r));
        cpu.add(cpu(r));
      }
    }
    String head = "latency " + rate + "/s, " + measureSeconds + " s open loop: ";
    row(
        t,
        head + "intended send → receiver start, p50 / p99 / p99.9 / max (ms)",
        send,
        latencyRatio(drivers, byColumn, "sendToStart"));
    row(
        t,
        head + "commit → receiver start, p50 / p99 / max (ms)",
        commit,
        latencyRatio(drivers, byColumn, "commitToStart"));
    row(t, head + "backlog of unfinished tasks, sampled every 1 s", backlog, "");
    row(t, head + "CPU, JVM / PostgreSQL (% of one core)", cpu, "");
  }

  private static String backlog(int rate, Map<String, Object> r) {
    Map<String, Object> b = map(r, "backlog");
    long missing = ((Number) r.get("missing")).longValue();
    if (((Number) b.get("samplesInWindow")).intValue() < 5) {
      return "window too short to judge; max " + fmt0(((Number) b.get("maxInWindow")).longValue());
    }
    double slope = num(b, "slopePerSecond");
    long max = ((Number) b.get("maxInWindow")).longValue();
    long last = ((Number) b.get("lastInWindow")).longValue();
    // Flat: no trend beyond 1% of the offered rate per second, and every task delivered.
    boolean flat = missing == 0 && slope <= Math.max(1.0, rate * 0.01);
    String s =
        (flat ? "flat (sustainable): " : "GROWS (not sustainable): ")
            + "max "
            + fmt0(max)
            + ", last "
            + fmt0(last)
            + ", trend "
            + String.format(Locale.ROOT, "%+.1f", slope)
            + "/s";
    if (missing > 0) {
      s += ", " + fmt0(missing) + " not delivered in time";
      Object committed = r.get("missingCommitted");
      if (committed instanceof Number n) {
        s += " (" + fmt0(n.longValue()) + " of them committed)";
      }
    }
    return s;
  }

  private static String latencyRatio(
      List<String> drivers, Map<String, Map<String, Object>> byColumn, String key) {
    Map<String, Object> peer = byColumn.get("peer");
    if (peer == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (String d : drivers) {
      Map<String, Object> r = byColumn.get(d);
      if (r != null) {
        Map<String, Object> h = map(r, key);
        Map<String, Object> p = map(peer, key);
        parts.add(
            label(d)
                + " p50 "
                + fmt2(num(h, "p50") / num(p, "p50"))
                + ", p99 "
                + fmt2(num(h, "p99") / num(p, "p99")));
      }
    }
    return parts.isEmpty() ? "" : String.join("; ", parts) + " (Herald / db-scheduler)";
  }

  // ------------------------------------------------------------------ memory

  private void memoryRows(StringBuilder t, List<String> drivers) {
    List<String> heap = new ArrayList<>();
    List<String> live = new ArrayList<>();
    List<String> rate = new ArrayList<>();
    for (String c : COLUMNS) {
      Map<String, Object> r = memory.get(c);
      if (c.equals("peer") || !drivers.contains(c)) {
        heap.add(NOT_RUN);
        live.add(NOT_RUN);
        rate.add(NOT_RUN);
      } else if (r == null) {
        heap.add(FAILED);
        live.add(FAILED);
        rate.add(FAILED);
      } else {
        Map<String, Object> h = map(r, "heap");
        heap.add(
            h.containsKey("afterGcFirstMb")
                ? fmt1(num(h, "afterGcFirstMb"))
                    + " / "
                    + fmt1(num(h, "afterGcLastMb"))
                    + " / "
                    + fmt1(num(h, "afterGcMaxMb"))
                    + " ("
                    + h.get("gcCount")
                    + " GCs)"
                : "no GC during the run");
        live.add(liveSet(h));
        rate.add(fmt0(num(r, "tasksPerSecond")));
      }
    }
    row(
        t,
        "memory: drain "
            + fmt0(memoryTasks)
            + " tasks at -Xmx128m, heap after GC first / last / max (MB)",
        heap,
        "");
    row(t, "memory: live set (heap after a full GC) at 1/4, 1/2, 3/4 of the drain (MB)", live, "");
    row(t, "memory: that drain's rate at -Xmx128m, with those 3 full GCs (tasks/s)", rate, "");
  }

  @SuppressWarnings("unchecked")
  private static String liveSet(Map<String, Object> h) {
    List<List<Number>> points = (List<List<Number>>) h.get("liveSetAtQuarters");
    if (points == null || points.isEmpty()) {
      return "not sampled (drain too short)";
    }
    List<String> mb = new ArrayList<>();
    for (List<Number> p : points) {
      mb.add(fmt1(p.get(1).doubleValue()));
    }
    return String.join(" / ", mb);
  }

  // ------------------------------------------------------------------ helpers

  private static String ratioToPeer(
      List<String> drivers, Map<String, Map<String, Object>> byColumn, String key, String what) {
    Map<String, Object> peer = byColumn.get("peer");
    if (peer == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (String d : drivers) {
      Map<String, Object> r = byColumn.get(d);
      if (r != null) {
        parts.add(label(d) + " " + fmt2(num(r, key) / num(peer, key)) + "×");
      }
    }
    return parts.isEmpty() ? "" : String.join(", ", parts) + " (" + what + ")";
  }

  private static String cpu(Map<String, Object> r) {
    double jvm = num(r, "jvmCpuPct");
    double pg = num(r, "pgCpuPct");
    return (jvm < 0 ? "n/a" : fmt0(jvm) + "%") + " / " + (pg < 0 ? "n/a" : fmt0(pg) + "%");
  }

  static void row(StringBuilder t, String name, List<String> cells, String ratio) {
    t.append("| ").append(name);
    for (String c : cells) {
      t.append(" | ").append(c);
    }
    t.append(" | ").append(ratio).append(" |\n");
  }

  private static String label(String driver) {
    return switch (driver) {
      case "r2dbc" -> "R2DBC";
      case "vertx" -> "Vert.x";
      default -> driver;
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> r, String key) {
    return (Map<String, Object>) r.get(key);
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }

  private static String ms(Map<String, Object> h, String key) {
    double v = num(h, key);
    return v < 10 ? fmt2(v) : v < 100 ? fmt1(v) : fmt0(v);
  }

  static String fmt0(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String fmt1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
