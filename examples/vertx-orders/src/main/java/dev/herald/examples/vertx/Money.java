package dev.herald.examples.vertx;

/** Formats amounts in cents. */
public final class Money {

  private Money() {}

  /**
   * Formats an amount.
   *
   * @param cents the amount, in cents
   * @return for example {@code $19.99}
   */
  public static String format(long cents) {
    return String.format("$%,d.%02d", cents / 100, cents % 100);
  }
}
