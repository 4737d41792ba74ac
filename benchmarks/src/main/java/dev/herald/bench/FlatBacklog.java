package dev.herald.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The soak's verdict on one phase, which tells the sending side apart from the dispatcher. With
 * {@code r} the phase's rate, {@code f} the rate the dispatcher faced ({@code r}, or the committed
 * rate when that was lower: the senders', not the dispatcher's, limit), {@code b1 … bn} the backlog
 * (ready tasks not yet started) at each interval's end and {@code w} the longest commit → receiver
 * start of the phase:
 *
 * <ul>
 *   <li>{@code SENDER-BOUND}: the senders could not commit the offered rate: a send failed or was
 *       shed ({@link Soak#MAX_IN_FLIGHT}), at least {@code r × 1 s} sends were not yet committed at
 *       the last due send, or a send never committed; it reports offered and committed sends per
 *       second (committed by the last due send, over the time the sends took);
 *   <li>{@code GROWS}: the dispatcher fell behind: {@code w ≥ 1 s} (a committed task waited a
 *       second for its receiver), the median of the later half of {@code b1 … bn} exceeds the
 *       median of the earlier half by more than {@code f × 0.1 s} (a trend), or a committed task
 *       was not delivered within the wait after the phase;
 *   <li>{@code flat}: neither.
 * </ul>
 *
 * Both can hold ({@code SENDER-BOUND (…); GROWS (…)}); a failed backlog sample adds {@code NOT FLAT
 * (…)}. Every verdict also gives the phase's largest per-second backlog sample in seconds of {@code
 * f}, with the sends committed and the receivers started in the second before it. That peak was the
 * first rule here (GROWS at one second), but it also judges the senders: when their commits stall
 * (on a WAL flush, a checkpoint), the tasks of the stall become visible at once, and a sample taken
 * then counts backlog that no receiver could have started yet, however fast the dispatcher; the
 * commits of the second before the peak tell such a burst apart. The wait rule asks the
 * dispatcher's question directly: was a committed task kept waiting a second? A figure, never an
 * assertion: the suite does not fail on it.
 */
final class FlatBacklog {

  private FlatBacklog() {}

  /**
   * Judges one phase (see the class comment).
   *
   * @return "flat", or "SENDER-BOUND (…)" and / or "GROWS (…)" with the rules that failed
   */
  static String verdict(Map<String, Object> p) {
    double rate = num(p, "rate");
    long[] b = series(p);
    long[] m = maxima(p);
    if (b.length == 0) {
      return "no interval recorded";
    }
    List<String> parts = new ArrayList<>();
    List<String> senders = senders(p, rate);
    if (!senders.isEmpty()) {
      parts.add(
          "SENDER-BOUND (offered "
              + Table.fmt0(rate)
              + "/s, committed "
              + Table.fmt0(committedPerSecond(p))
              + "/s; "
              + String.join(", ", senders)
              + ")");
    }
    double faced = senders.isEmpty() ? rate : Math.min(rate, committedPerSecond(p));
    List<String> backlog = backlog(p, b, faced);
    if (!backlog.isEmpty()) {
      parts.add("GROWS (" + String.join(", ", backlog) + ")");
    }
    for (long v : b) {
      if (v < 0) {
        parts.add("NOT FLAT (a backlog sample failed)");
        break;
      }
    }
    return (parts.isEmpty() ? "flat" : String.join("; ", parts)) + "; " + peak(p, m, faced);
  }

  /** The largest per-second backlog sample, in seconds of the rate faced, and the second before. */
  private static String peak(Map<String, Object> p, long[] m, double faced) {
    int at = 0;
    for (int k = 1; k < m.length; k++) {
      at = m[k] > m[at] ? k : at;
    }
    Map<String, Object> row = rows(p).get(at);
    String seconds = faced <= 0 ? "—" : Table.fmt2(m[at] / faced);
    if (!row.containsKey("peakCommittedSecondBefore")) {
      return "peak " + Table.fmt0(m[at]) + " ready = " + seconds + " s of the rate faced";
    }
    return "peak "
        + Table.fmt0(m[at])
        + " ready = "
        + seconds
        + " s of the "
        + Table.fmt0(faced)
        + "/s faced; in the second before it "
        + Table.fmt0(num(row, "peakCommittedSecondBefore"))
        + " committed, "
        + Table.fmt0(num(row, "peakStartedSecondBefore"))
        + " started";
  }

  /** Sends committed by the last due send, per second of sending. */
  static double committedPerSecond(Map<String, Object> p) {
    double seconds = num(p, "sendSeconds");
    return seconds <= 0 ? 0 : num(p, "committedBySendEnd") / seconds;
  }

  private static List<String> senders(Map<String, Object> p, double rate) {
    List<String> why = new ArrayList<>();
    if (num(p, "failures") > 0) {
      why.add(Table.fmt0(num(p, "failures")) + " sends failed");
    }
    if (num(p, "shed") > 0) {
      why.add(
          Table.fmt0(num(p, "shed"))
              + " shed (more than "
              + Table.fmt0(num(p, "maxInFlight"))
              + " not yet committed)");
    }
    if (num(p, "uncommittedAtSendEnd") >= rate) {
      why.add(
          Table.fmt0(num(p, "uncommittedAtSendEnd"))
              + " not yet committed at the last send ≥ rate × 1 s");
    }
    if (num(p, "neverCommitted") > 0) {
      why.add(Table.fmt0(num(p, "neverCommitted")) + " never committed");
    }
    return why;
  }

  private static List<String> backlog(Map<String, Object> p, long[] b, double faced) {
    List<String> why = new ArrayList<>();
    double waited = num(map(p, "commitToStart"), "max");
    if (waited >= 1000) {
      why.add("a task waited " + Table.fmt0(waited) + " ms from commit to start ≥ 1 s");
    }
    // Halves' medians, not the first and last samples: one sample taken as a claim lands would
    // decide the verdict otherwise, while a real trend moves most of a half.
    int half = b.length / 2;
    if (half > 0) {
      long growth =
          median(Arrays.copyOfRange(b, b.length - half, b.length))
              - median(Arrays.copyOfRange(b, 0, half));
      if (growth > faced * 0.1) {
        why.add(
            "the later intervals ended "
                + Table.fmt0(growth)
                + " higher than the earlier ones, > 0.1 s of the "
                + Table.fmt0(faced)
                + "/s faced");
      }
    }
    if (num(p, "committedNotStarted") > 0) {
      why.add(Table.fmt0(num(p, "committedNotStarted")) + " committed, not delivered in time");
    }
    return why;
  }

  /** Each interval's largest per-second backlog sample. */
  static long[] maxima(Map<String, Object> p) {
    return column(p, "backlogMax");
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The backlog at each interval's end. */
  static long[] series(Map<String, Object> p) {
    return column(p, "backlog");
  }

  private static long[] column(Map<String, Object> p, String key) {
    return rows(p).stream().mapToLong(r -> (long) num(r, key)).toArray();
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
}
