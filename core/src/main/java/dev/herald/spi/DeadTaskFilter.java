package dev.herald.spi;

/**
 * Selects dead tasks, for {@link TaskRequeueParams} and {@link TaskPurgeParams}. Null fields match
 * everything.
 *
 * @param ids only these ids, or null
 * @param signal only this signal, or null
 * @param receiver only this receiver, or null
 */
public record DeadTaskFilter(long[] ids, String signal, String receiver) {

  @Override
  public String toString() {
    return "DeadTaskFilter[ids="
        + java.util.Arrays.toString(ids)
        + ", signal="
        + signal
        + ", receiver="
        + receiver
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadTaskFilter p
        && java.util.Arrays.equals(ids, p.ids)
        && java.util.Objects.equals(signal, p.signal)
        && java.util.Objects.equals(receiver, p.receiver);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(java.util.Arrays.hashCode(ids), signal, receiver);
  }
}
