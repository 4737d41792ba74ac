package dev.herald.spi;

import java.util.List;

/**
 * Which pairs to count, and how far.
 *
 * @param pairs pairs to answer besides those of the receiver registry (a node passes the receivers
 *     it runs or declares, which it may not have registered yet); each pair is answered once
 * @param cap the most any one count reads: a count that reaches it means "at least {@code cap}"
 */
public record TaskStatsParams(List<ReceiverKey> pairs, int cap) {
  /** Validates and copies. */
  public TaskStatsParams {
    pairs = Params.list("pairs", pairs);
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, but was " + cap);
    }
  }
}
