package dev.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's figures: summary rows for the suite's table, and one Markdown table per (system,
 * phase) with a row per interval; {@link FlatBacklog} judges each phase.
 */
final class SoakTable {

  private static final String[] COLUMNS = {"r2dbc", "vertx", "peer"};

  /** Server settings shown in the header, in order. */
  static final String[] SETTINGS = {
    "fsync", "synchronous_commit", "full_page_writes", "autovacuum", "autovacuum_naptime"
  };

  private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
  private final Map<String, Double> drainRates = new LinkedHashMap<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  String server = "";
  String timing = "";
  int phase1Rate;
  int phaseSeconds;

  void settings(Map<String, String> s) {
    settings.putAll(s);
  }

  /** A system's drain rate on the soak's server (null if the drain failed) and soak figures. */
  void put(String column, Double drainRate, Map<String, Object> result) {
    drainRates.put(column, drainRate);
    results.put(column, result);
  }

  boolean isEmpty() {
    return results.isEmpty();
  }

  // ------------------------------------------------------------------ the suite's table

  void summaryRows(StringBuilder t) {
    List<String> drain = new ArrayList<>();
    for (String c : COLUMNS) {
      Double d = drainRates.get(c);
      List<Map<String, Object>> phases = phases(c);
      drain.add(
          !results.containsKey(c) && !drainRates.containsKey(c)
              ? "—"
              : d == null
                  ? "FAILED (no phase 2)"
                  : Table.fmt0(d)
                      + " → "
                      + (phases.size() > 1 ? offered(phases.get(1)) : "FAILED"));
    }
    Table.row(
        t, "soak: drain on the soak's server (tasks/s) → phase-2 rate, 80 % (sends/s)", drain, "");
    for (int k = 0; k < 2; k++) {
      List<String> backlog = new ArrayList<>();
      List<String> latency = new ArrayList<>();
      List<String> dead = new ArrayList<>();
      for (String c : COLUMNS) {
        List<Map<String, Object>> phases = phases(c);
        if (!results.containsKey(c) && !drainRates.containsKey(c)) {
          List.of(backlog, latency, dead).forEach(l -> l.add("—"));
        } else if (phases.size() <= k) {
          List.of(backlog, latency, dead).forEach(l -> l.add("FAILED"));
        } else {
          Map<String, Object> p = phases.get(k);
          long[] b = FlatBacklog.series(p);
          backlog.add(
              offered(p)
                  + ": "
                  + Table.fmt0(num(p, "backlogStart"))
                  + " / "
                  + (b.length == 0 ? "—" : Table.fmt0(b[b.length - 1]))
                  + " / "
                  + Table.fmt0(maxBacklog(p))
                  + ", **"
                  + FlatBacklog.verdict(p)
                  + "**");
          Map<String, Object> h = map(p, "commitToStart");
          latency.add(ms(h, "p50") + " / " + ms(h, "p99") + " / " + ms(h, "max"));
          List<Map<String, Object>> rows = rows(p);
          dead.add(rows.isEmpty() ? "—" : Table.fmt0(num(rows.get(rows.size() - 1), "deadTuples")));
        }
      }
      String head =
          "soak phase "
              + (k + 1)
              + " ("
              + (k == 0 ? Table.fmt0(phase1Rate) + "/s" : "80 % of drain")
              + ", "
              + phaseSeconds
              + " s, the soak's server): ";
      Table.row(t, head + "backlog start / end / max, verdict", backlog, "");
      Table.row(t, head + "commit → receiver start, p50 / p99 / max (ms)", latency, "");
      Table.row(t, head + "dead tuples of the task table at the end", dead, "");
    }
  }

  // ------------------------------------------------------------------ the per-interval tables

  String render() {
    StringBuilder t = new StringBuilder("\n### Soak\n\n");
    t.append("- server: ").append(server).append('\n');
    t.append("- settings:");
    settings.forEach((k, v) -> t.append(' ').append(k).append('=').append(v));
    t.append('\n').append("- ").append(timing).append('\n');
    t.append("- grouping: a phase above ")
        .append(Table.fmt0(Soak.SENDS_PER_TX_RATE))
        .append(" sends/s sends k = ceil(rate / ")
        .append(Table.fmt0(Soak.SENDS_PER_TX_RATE))
        .append(") tasks per business transaction (k order rows, k sends, one commit), at rate / k")
        .append(" transactions/s; each task keeps its own sequence number and commit instant\n");
    t.append("- verdict: **SENDER-BOUND** when the senders could not commit the offered rate (a")
        .append(" send failed, was shed or never committed, or rate × 1 s sends were not yet")
        .append(" committed at the last send; offered vs committed sends/s); **GROWS** when a")
        .append(" committed task waited 1 s or more from commit to start, the median backlog at")
        .append(" the ends of the later half's intervals exceeds the earlier half's by more than")
        .append(
            " 0.1 s of the rate faced (the offered rate, or the committed one when lower), or a")
        .append(" committed task was not delivered in time; **flat** when neither; each verdict")
        .append(" gives the largest per-second backlog sample in seconds of the rate faced, with")
        .append(" the sends committed and receivers started in the second before it\n");
    for (String c : COLUMNS) {
      Map<String, Object> r = results.get(c);
      if (r == null) {
        continue;
      }
      for (Map<String, Object> p : phases(c)) {
        phaseTable(t, c, r, p);
      }
    }
    return t.toString();
  }

  private void phaseTable(
      StringBuilder t, String column, Map<String, Object> r, Map<String, Object> p) {
    t.append("\n#### ").append(label(column)).append(", phase ").append(p.get("phase"));
    t.append(": ").append(rate(p)).append(" sends/s").append(grouping(p));
    t.append(" for ").append(p.get("seconds")).append(" s");
    if (((Number) p.get("phase")).intValue() == 2) {
      t.append(" (80 % of the drain rate ").append(Table.fmt0(drainRates.get(column)));
      t.append(" tasks/s measured on this server just before)");
    }
    t.append("\n\n").append(r.get("config")).append(". Verdict: **").append(FlatBacklog.verdict(p));
    t.append("**; sends ").append(Table.fmt0(num(p, "sends")));
    t.append(", committed ").append(Table.fmt0(num(p, "committed")));
    t.append(" (").append(Table.fmt0(FlatBacklog.committedPerSecond(p)));
    t.append("/s while sending)");
    t.append(", failed ").append(Table.fmt0(num(p, "failures")));
    t.append(", shed ").append(Table.fmt0(num(p, "shed")));
    t.append(", undelivered ").append(Table.fmt0(num(p, "undelivered")));
    t.append(", duplicates ").append(Table.fmt0(num(p, "duplicates")));
    t.append("; all delivered ").append(Table.fmt1(num(p, "drainAfterLastSendMs") / 1000));
    t.append(" s after the last send; generator max lag ")
        .append(Table.fmt1(num(p, "generatorMaxLagMs")));
    t.append(" ms; backlog at the start ").append(Table.fmt0(num(p, "backlogStart")));
    Map<String, Object> h = map(p, "commitToStart");
    t.append("; commit → start over the phase p50 / p99 / p99.9 / max ").append(ms(h, "p50"));
    t.append(" / ").append(ms(h, "p99")).append(" / ").append(ms(h, "p999")).append(" / ");
    t.append(ms(h, "max")).append(" ms\n\n");
    t.append("| t | sent | not yet committed | started | backlog at end (max) | leased |")
        .append(" commit → start p50 / p99 / max (ms) | dead tuples | live tuples | autovacuums |")
        .append(" heap after GC last / max MB (GCs) | CPU JVM / PG |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> row : rows(p)) {
      intervalRow(t, clock(num(row, "second")), row);
    }
    if (p.get("afterPhase") instanceof Map<?, ?> after) {
      @SuppressWarnings("unchecked")
      Map<String, Object> a = (Map<String, Object>) after;
      intervalRow(t, "after +" + Table.fmt1(num(p, "drainAfterLastSendMs") / 1000) + " s", a);
    }
  }

  private static void intervalRow(StringBuilder t, String when, Map<String, Object> row) {
    Map<String, Object> h = map(row, "commitToStart");
    long max = (long) num(row, "backlogMax");
    t.append("| ").append(when);
    t.append(" | ").append(Table.fmt0(num(row, "sent")));
    t.append(" | ").append(Table.fmt0(num(row, "uncommitted")));
    long shed = (long) num(row, "shed");
    t.append(shed > 0 ? " (shed " + Table.fmt0(shed) + ")" : "");
    t.append(" | ").append(Table.fmt0(num(row, "started")));
    t.append(" | ").append(Table.fmt0(num(row, "backlog")));
    t.append(max < 0 ? "" : " (" + Table.fmt0(max) + ")");
    t.append(" | ").append(Table.fmt0(num(row, "leased")));
    t.append(" | ");
    t.append(
        num(h, "count") == 0 ? "—" : ms(h, "p50") + " / " + ms(h, "p99") + " / " + ms(h, "max"));
    t.append(" | ").append(Table.fmt0(num(row, "deadTuples")));
    t.append(" | ").append(Table.fmt0(num(row, "liveTuples")));
    t.append(" | ").append(Table.fmt0(num(row, "autovacuums")));
    double gcs = num(row, "gcs");
    t.append(" | ");
    t.append(
        gcs == 0
            ? "no GC"
            : Table.fmt1(num(row, "heapAfterGcLastMb"))
                + " / "
                + Table.fmt1(num(row, "heapAfterGcMaxMb"))
                + " ("
                + Table.fmt0(gcs)
                + ")");
    double jvm = num(row, "jvmCpuPct");
    double pg = num(row, "pgCpuPct");
    t.append(" | ")
        .append(Table.fmt0(jvm))
        .append("% / ")
        .append(pg < 0 ? "n/a" : Table.fmt0(pg) + "%");
    t.append(" |\n");
  }

  private static long maxBacklog(Map<String, Object> p) {
    long max = (long) num(p, "backlogStart");
    for (long peak : FlatBacklog.maxima(p)) {
      max = Math.max(max, peak);
    }
    return max;
  }

  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> phases(String column) {
    Map<String, Object> r = results.get(column);
    return r == null ? List.of() : (List<Map<String, Object>>) r.get("phases");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> p) {
    return (List<Map<String, Object>>) p.get("rows");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> r, String key) {
    return (Map<String, Object>) r.get(key);
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }

  private static String rate(Map<String, Object> p) {
    return Table.fmt0(num(p, "rate"));
  }

  /** "24,103/s in transactions of 13", or "2,000/s" for one send per transaction. */
  private static String offered(Map<String, Object> p) {
    return rate(p) + "/s" + grouping(p);
  }

  private static String grouping(Map<String, Object> p) {
    int k = (int) num(p, "sendsPerTransaction");
    return k > 1 ? " in transactions of " + k : "";
  }

  private static String ms(Map<String, Object> h, String key) {
    double v = num(h, key);
    return v < 10 ? Table.fmt2(v) : v < 100 ? Table.fmt1(v) : Table.fmt0(v);
  }

  private static String clock(double seconds) {
    long s = (long) seconds;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String label(String column) {
    return switch (column) {
      case "r2dbc" -> "Herald R2DBC";
      case "vertx" -> "Herald Vert.x";
      default -> "db-scheduler";
    };
  }
}
