package dev.herald.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay drain's figures ({@link RelayRun}): a summary row per system in the suite's table
 * (median tasks/s, and its ratio to the no-op receiver's median of the same run), and a section
 * with every run, CPU, what was read back from the broker and where the confirms completed.
 */
final class RelayTable {

  static final List<String> SYSTEMS = List.of("noop", "rabbitmq", "nats", "kafka");

  /** system -> its runs in round order; null for a run that failed. */
  private final Map<String, List<Map<String, Object>>> runs = new LinkedHashMap<>();

  private final Map<String, String> skipped = new LinkedHashMap<>();
  int tasks;
  int warmup;
  int rounds;
  String publishOn = "none";

  void add(String system, Map<String, Object> run) {
    runs.computeIfAbsent(system, s -> new ArrayList<>()).add(run);
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
      case "rabbitmq" -> "RabbitMQ";
      case "nats" -> "NATS JetStream";
      case "kafka" -> "Kafka";
      default -> system;
    };
  }

  /** Rows of the suite's main table: the median rate in the Herald R2DBC column. */
  void summaryRows(StringBuilder t) {
    Double noop = median("noop");
    for (String s : SYSTEMS) {
      if (!runs.containsKey(s) && !skipped.containsKey(s)) {
        continue;
      }
      String name =
          s.equals("noop")
              ? "relay drain: "
                  + Table.fmt0(tasks)
                  + " ready tasks to empty, no-op receiver (tasks/s, median of "
                  + rounds
                  + ")"
              : "relay drain: the same relayed to " + label(s) + ", every id read back (tasks/s)";
      Double m = median(s);
      String cell =
          skipped.containsKey(s) ? "skipped: " + skipped.get(s) : m == null ? "FAILED" : rate(m);
      String ratio =
          !s.equals("noop") && m != null && noop != null ? Table.fmt2(m / noop) + " × no-op" : "";
      Table.row(t, name, List.of(cell, "—", "—"), ratio);
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
        .append(Workloads.tunedDescription())
        .append(", Herald R2DBC (pool 8); work after a receiver's completion: ")
        .append(
            publishOn.equals("none")
                ? "on the thread that completed it"
                : "moved by publishOn(" + publishOn + ")")
        .append(". Complete only if every task id was read back from the broker afterwards.\n\n");
    t.append(
        "| system | tasks/s, median | × no-op | every run (tasks/s) | CPU JVM / PostgreSQL /"
            + " broker, median run (% of one core) | read back: messages / distinct ids /"
            + " duplicates | receiver completes on | target |\n");
    t.append("|---|---:|---:|---|---|---|---|---|\n");
    Double noop = median("noop");
    for (String s : SYSTEMS) {
      if (skipped.containsKey(s)) {
        Table.row(t, label(s), List.of("skipped: " + skipped.get(s), "", "", "", "", ""), "");
        continue;
      }
      List<Map<String, Object>> rs = runs.get(s);
      if (rs == null) {
        continue;
      }
      Double m = median(s);
      List<String> every = new ArrayList<>();
      for (Map<String, Object> r : rs) {
        every.add(r == null ? "FAILED" : rate(num(r, "tasksPerSecond")));
      }
      Map<String, Object> mid = medianRun(s);
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
      Table.row(t, label(s), cells, mid == null ? "" : String.valueOf(mid.get("target")));
    }
    return t.toString();
  }

  private Double median(String system) {
    List<Double> rates = new ArrayList<>();
    for (Map<String, Object> r : runs.getOrDefault(system, List.of())) {
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
  private Map<String, Object> medianRun(String system) {
    List<Map<String, Object>> ok = new ArrayList<>();
    for (Map<String, Object> r : runs.getOrDefault(system, List.of())) {
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
    return system.equals("noop") ? "—" : pct(r, "brokerCpuPct");
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
