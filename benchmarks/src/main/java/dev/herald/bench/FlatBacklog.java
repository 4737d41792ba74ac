package dev.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The soak's verdict on one phase. Flat: with {@code r} the phase's rate and {@code b1 … bn} the
 * backlog (ready tasks not yet started) at the end of each interval, every {@code bk < r × 1 s},
 * {@code bn − b1 ≤ r × 0.1 s}, no send failed or was shed ({@link Soak#MAX_IN_FLIGHT}) and every
 * task was delivered within the wait after the phase. A figure, never an assertion: the suite does
 * not fail on it.
 */
final class FlatBacklog {

  private FlatBacklog() {}

  /**
   * Judges one phase (see the class comment).
   *
   * @return "flat", or "GROWS" / "NOT FLAT" with the rule that failed
   */
  static String verdict(Map<String, Object> p) {
    double rate = num(p, "rate");
    long[] b = series(p);
    if (b.length == 0) {
      return "no interval recorded";
    }
    List<String> why = new ArrayList<>();
    for (long v : b) {
      if (v < 0) {
        why.add("a backlog sample failed");
        break;
      }
    }
    long over = 0;
    for (long v : b) {
      over = Math.max(over, v >= rate ? v : 0);
    }
    if (over > 0) {
      why.add("backlog " + Table.fmt0(over) + " ≥ rate × 1 s");
    }
    long growth = b[b.length - 1] - b[0];
    if (growth > rate * 0.1) {
      why.add("grew by " + Table.fmt0(growth) + " > rate × 0.1 s");
    }
    if (num(p, "failures") > 0) {
      why.add(Table.fmt0(num(p, "failures")) + " sends failed");
    }
    if (num(p, "shed") > 0) {
      why.add(
          Table.fmt0(num(p, "shed"))
              + " sends shed (more than "
              + Table.fmt0(num(p, "maxInFlight"))
              + " not yet committed)");
    }
    if (num(p, "undelivered") > 0) {
      why.add(Table.fmt0(num(p, "undelivered")) + " not delivered in time");
    }
    if (why.isEmpty()) {
      return "flat";
    }
    return (over > 0 || growth > rate * 0.1 ? "GROWS" : "NOT FLAT")
        + " ("
        + String.join(", ", why)
        + ")";
  }

  static long[] series(Map<String, Object> p) {
    List<Map<String, Object>> rows = rows(p);
    long[] b = new long[rows.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (long) num(rows.get(i), "backlog");
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> p) {
    return (List<Map<String, Object>>) p.get("rows");
  }

  private static double num(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).doubleValue();
  }
}
