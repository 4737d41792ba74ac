package dev.herald.examples.domain;

/** Formats amounts in cents, for the account and the logs. */
final class Money {

  private Money() {}

  /**
   * Formats an amount.
   *
   * @param cents the amount, in cents
   * @return for example {@code $19.99}
   */
  static String format(long cents) {
    return String.format("$%,d.%02d", cents / 100, cents % 100);
  }
}
