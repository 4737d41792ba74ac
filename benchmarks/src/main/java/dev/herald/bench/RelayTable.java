package dev.herald.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay drain's figures ({@link RelayRun}): a summary row per system (and per {@code publishOn}
 * variant, when several ran) in the suite's table (median tasks/s, and its ratio to the no-op
 * receiver's median of the same run and variant), and a section with every run, CPU, what was read
 * back from the broker and where the receivers completed.
 */
final class RelayTable {

  static final List<String> SYSTEMS = List.of("noop", "late", "rabbitmq", "nats", "kafka");

  /** system and variant ({@link #key}) -> its runs in round order; null for a run that failed. */
  private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();

  private final Map<String, String> skipped = new LinkedHashMap<>();
  int tasks;
  int warmup;
  int rounds;

  /** The {@code publishOn} variants that ran, "none" first if it ran. */
  List<String> variants = List.of("none");

  void add(String system, String variant, Map<String, Object> run) {
    runs.computeIfAbsent(key(system, variant), s -> new ArrayList<>()).add(run);
  }

  private static String key(String system, String variant) {
    return variant.equals("none") ? system : system + "@" + variant;
  }

  private String label(String system, String variant) {
    return label(system) + (variants.size() > 1 ? ", publishOn " + variant : "");
  }

  void skip(String system, String why) {
    skipped.put(system, why);
  }

  boolean isEmpty() {
    return runs.isEmpty() && skipped.isEmpty();
  }

  static String label(String system) {
    return switch (system) {
      case "noop" -> "no-op receiver";
      case "late" -> "no-op receiver, completing later";
      case "rabbitmq" -> "RabbitMQ";
      case "nats" -> "NATS JetStream";
      case "kafka" -> "Kafka";
      default -> system;
    };
  }

  /** Rows of the suite's main table: the median rate in the Herald R2DBC column. */
  void summaryRows(StringBuilder t) {
    for (String v : variants) {
      Double noop = median(key("noop", v));
      String how = variants.size() > 1 ? ", publishOn " + v : "";
      for (String s : SYSTEMS) {
        String k = key(s, v);
        if (!runs.containsKey(k) && !skipped.containsKey(s)) {
          continue;
        }
        String name =
            s.equals("noop")
                ? "relay drain: "
                    + Table.fmt0(tasks)
                    + " ready tasks to empty, no-op receiver"
                    + how
                    + " (tasks/s, median of "
                    + rounds
                    + ")"
                : "relay drain: the same relayed to "
                    + label(s)
                    + how
                    + ", every id read back (tasks/s)";
        Double m = median(k);
        String cell =
            skipped.containsKey(s) ? "skipped: " + skipped.get(s) : m == null ? "FAILED" : rate(m);
        String ratio =
            !s.equals("noop") && m != null && noop != null ? Table.fmt2(m / noop) + " × no-op" : "";
        Table.row(t, name, List.of(cell, "—", "—"), ratio);
      }
    }
  }

  /** The section with every run. */
  String render() {
    StringBuilder t = new StringBuilder();
    t.append("\n### Relay drain\n\n");
    t.append(Table.fmt0(tasks))
        .append(" ready tasks drained to empty through each relay, after an untimed drain of ")
        .append(Table.fmt0(warmup))
        .append(" in the same JVM; ")
        .append(rounds)
        .append(rounds == 1 ? " round" : " rounds")
        .append(", each system once per round in a fresh JVM in the order of the rows; engine: ")
        .append(Workloads.tunedDescription(RelayDrain.inFlight()))
        .append(", Herald R2DBC (pool 8); work after a receiver's completion: ")
        .append(variants.size() > 1 ? "each system under each variant in turn, " : "");
    List<String> how = new ArrayList<>();
    for (String v : variants) {
      how.add(
          v.equals("none") ? "on the thread that completed it" : "moved by publishOn(" + v + ")");
    }
    t.append(String.join("; ", how))
        .append(". Complete only if every task id was read back from the broker afterwards.\n\n");
    t.append(
        "| system | tasks/s, median | × no-op | every run (tasks/s) | CPU JVM / PostgreSQL /"
            + " broker, median run (% of one core) | read back: messages / distinct ids /"
            + " duplicates | receiver completes on | target |\n");
    t.append("|---|---:|---:|---|---|---|---|---|\n");
    for (String s : SYSTEMS) {
      if (skipped.containsKey(s)) {
        Table.row(t, label(s), List.of("skipped: " + skipped.get(s), "", "", "", "", ""), "");
        continue;
      }
      for (String v : variants) {
        detailRow(t, s, v);
      }
    }
    t.append(
        "\nWhere the relaying JVM's CPU went, median run (% of one core per thread kind, from the"
            + " threads' CPU times in /proc over the timed drain, names cut to 15 characters; untimed"
            + " warm-up drains ran first until the JIT compiled for under 5 % of one's wall time, or up"
            + " to -Dherald.bench.relay.maxWarmups, 8 by default):\n\n");
    t.append(
        "| system | threads | warm-up drains | JIT compile time ÷ timed drain's wall time (summed"
            + " over compiler threads)"
            + " |\n|---|---|---:|---:|\n");
    for (String s : SYSTEMS) {
      for (String v : variants) {
        Map<String, Object> mid = medianRun(key(s, v));
        if (mid != null && mid.get("threadCpu") instanceof Map<?, ?> cpu) {
          List<String> parts = new ArrayList<>();
          cpu.entrySet().stream()
              .sorted((a, b) -> Double.compare(num(b.getValue()), num(a.getValue())))
              .forEach(
                  e ->
                      parts.add(
                          "`"
                              + String.valueOf(e.getKey()).replace("|", "\\|")
                              + "` "
                              + Math.round(num(e.getValue()))
                              + "%"));
          t.append("| ").append(label(s, v)).append(" | ").append(String.join(", ", parts));
          t.append(" | ").append(Table.fmt0(num(mid.get("warmupDrains"))));
          t.append(" | ").append(Math.round(num(mid.get("jitPct")))).append("% |\n");
        }
      }
    }
    return t.toString();
  }

  private static double num(Object v) {
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private void detailRow(StringBuilder t, String s, String v) {
    Double noop = median(key("noop", v));
    String k = key(s, v);
    List<Map<String, Object>> rs = runs.get(k);
    if (rs == null) {
      return;
    }
    Double m = median(k);
    List<String> every = new ArrayList<>();
    for (Map<String, Object> r : rs) {
      every.add(r == null ? "FAILED" : rate(num(r, "tasksPerSecond")));
    }
    Map<String, Object> mid = medianRun(k);
    List<String> cells = new ArrayList<>();
    cells.add(m == null ? "FAILED" : rate(m));
    cells.add(s.equals("noop") || m == null || noop == null ? "" : Table.fmt2(m / noop));
    cells.add(String.join(", ", every));
    if (mid == null) {
      cells.addAll(List.of("", "", ""));
    } else {
      cells.add(pct(mid, "jvmCpuPct") + " / " + pct(mid, "pgCpuPct") + " / " + brokerCpu(s, mid));
      cells.add(
          Table.fmt0(num(mid, "published"))
              + " / "
              + Table.fmt0(num(mid, "distinctIds"))
              + " / "
              + Table.fmt0(num(mid, "duplicates")));
      cells.add(threads(mid));
    }
    Table.row(t, label(s, v), cells, mid == null ? "" : String.valueOf(mid.get("target")));
  }

  private Double median(String key) {
    List<Double> rates = new ArrayList<>();
    for (Map<String, Object> r : runs.getOrDefault(key, List.of())) {
      if (r != null) {
        rates.add(num(r, "tasksPerSecond"));
      }
    }
    if (rates.isEmpty()) {
      return null;
    }
    rates.sort(Comparator.naturalOrder());
    int n = rates.size();
    return n % 2 == 1 ? rates.get(n / 2) : (rates.get(n / 2 - 1) + rates.get(n / 2)) / 2;
  }

  /** The run with the median rate (the lower one of the middle two). */
  private Map<String, Object> medianRun(String key) {
    List<Map<String, Object>> ok = new ArrayList<>();
    for (Map<String, Object> r : runs.getOrDefault(key, List.of())) {
      if (r != null) {
        ok.add(r);
      }
    }
    if (ok.isEmpty()) {
      return null;
    }
    ok.sort(Comparator.comparingDouble(r -> num(r, "tasksPerSecond")));
    return ok.get((ok.size() - 1) / 2);
  }

  @SuppressWarnings("unchecked")
  private static String threads(Map<String, Object> r) {
    Map<String, Object> on = (Map<String, Object>) r.get("completedOn");
    if (on == null || on.isEmpty()) {
      return "";
    }
    long total = 0;
    for (Object v : on.values()) {
      total += ((Number) v).longValue();
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : on.entrySet()) {
      long n = ((Number) e.getValue()).longValue();
      // A pipe inside a cell ends it, code span or not.
      long pct = Math.round(100.0 * n / total);
      parts.add(
          "`" + e.getKey().replace("|", "\\|") + "` " + (pct == 0 && n > 0 ? "<1" : pct) + "%");
    }
    return String.join(", ", parts);
  }

  private static String brokerCpu(String system, Map<String, Object> r) {
    return system.equals("noop") || system.equals("late") ? "—" : pct(r, "brokerCpuPct");
  }

  private static String pct(Map<String, Object> r, String key) {
    double v = num(r, key);
    return v < 0 ? "n/a" : Table.fmt0(v) + "%";
  }

  private static String rate(double v) {
    return Table.fmt0(v);
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }
}
