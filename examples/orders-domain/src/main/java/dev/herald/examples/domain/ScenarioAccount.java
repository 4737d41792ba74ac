package dev.herald.examples.domain;

import dev.herald.TaskInfo;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * What the start-up scenario did and saw: one entry per order, then the dead letters.
 *
 * @param entries the orders, in the order they were played
 * @param deadLetters the dead tasks of {@code payment.completed}, with the payment each carried
 * @param complete false if the wait for the receivers timed out
 */
public record ScenarioAccount(List<Entry> entries, List<DeadLetter> deadLetters, boolean complete) {

  /** Copies the lists. */
  public ScenarioAccount {
    entries = List.copyOf(entries);
    deadLetters = List.copyOf(deadLetters);
  }

  /** How the payment's transaction ended. */
  public enum Outcome {
    /** Committed as succeeded: the signal's tasks committed with it. */
    SUCCEEDED,
    /** Committed as failed: no signal was sent. */
    DECLINED,
    /** Rolled back after the signal was sent: its tasks rolled back too. */
    ROLLED_BACK
  }

  /** What became of one receiver's task. */
  public enum State {
    /** The receiver succeeded. */
    DELIVERED,
    /** Herald gave up on it; it waits in the dead letters. */
    DEAD_LETTERED,
    /** Not finished when the account was taken. */
    PENDING
  }

  /**
   * One order of the scenario.
   *
   * @param order the order and its payment as they are now in the database
   * @param outcome how the payment's transaction ended
   * @param reason why it rolled back, or null
   * @param receivers the receivers' results, for a succeeded payment (empty otherwise)
   * @param anyReceiverRan whether any receiver ran for this payment
   */
  public record Entry(
      Order order,
      Outcome outcome,
      String reason,
      List<ReceiverResult> receivers,
      boolean anyReceiverRan) {

    /** Copies the list. */
    public Entry {
      receivers = List.copyOf(receivers);
    }
  }

  /**
   * One receiver's result for one payment.
   *
   * @param receiver the receiver's name
   * @param state what became of its task
   * @param attempts attempts made (the delivering or last one)
   * @param retries failed attempts that were retried
   */
  public record ReceiverResult(String receiver, State state, int attempts, int retries) {

    String describe() {
      return switch (state) {
        case DELIVERED ->
            receiver
                + " delivered (attempt "
                + attempts
                + (retries == 0 ? "" : " after " + retries + (retries == 1 ? " retry" : " retries"))
                + ")";
        case DEAD_LETTERED -> receiver + " dead-lettered after " + attempts + " attempts";
        case PENDING -> receiver + " still pending";
      };
    }
  }

  /**
   * A dead task.
   *
   * @param task the task
   * @param paymentId the payment it carried, if known
   */
  public record DeadLetter(TaskInfo task, OptionalLong paymentId) {}

  /**
   * Renders the account for the console.
   *
   * @param port the HTTP port
   * @return the text, ending with a newline
   */
  public String render(int port) {
    StringBuilder out = new StringBuilder("== Herald demo: payment.completed ==\n");
    for (Entry e : entries) {
      Order o = e.order();
      out.append(
          String.format(
              "order %-2d %10s  payment %-2d %s -> %s; order %s%n",
              o.id(),
              Money.format(o.amountCents()),
              o.paymentId(),
              label(e),
              consequence(e),
              o.status()));
    }
    if (!complete) {
      out.append("(stopped waiting for the receivers after the timeout)\n");
    }
    out.append("dead letters: ").append(deadLetters.size()).append('\n');
    for (DeadLetter d : deadLetters) {
      out.append(
          String.format(
              "  task %d  %s%s, %d attempts: %s%n",
              d.task().id(),
              d.task().receiver(),
              d.paymentId().isPresent() ? " (payment " + d.paymentId().getAsLong() + ")" : "",
              d.task().attempt(),
              d.task().lastError()));
    }
    out.append(
            String.format(
                "Serving on http://localhost:%d — try: curl -X POST localhost:%d/orders"
                    + " -H 'content-type: application/json' -d '{\"amountCents\":1999}'",
                port, port))
        .append('\n');
    return out.toString();
  }

  private static String label(Entry e) {
    return switch (e.outcome()) {
      case SUCCEEDED -> "succeeded";
      case DECLINED -> "declined ";
      case ROLLED_BACK -> "rolled back (" + e.reason() + ")";
    };
  }

  private static String consequence(Entry e) {
    return switch (e.outcome()) {
      case SUCCEEDED ->
          e.receivers().stream().map(ReceiverResult::describe).collect(Collectors.joining(", "));
      case DECLINED -> "no signal sent";
      case ROLLED_BACK ->
          e.anyReceiverRan()
              ? "a receiver ran (this must not happen!)"
              : "no task, no receiver ran";
    };
  }
}
