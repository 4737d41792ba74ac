package dev.herald.examples.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The rules for what a client sends to either demo, written once so that both APIs accept the same
 * requests and reject the rest with the same messages. Each method returns a valid value or throws
 * {@link InvalidInputException}; it never clamps, rounds or falls back to a default for a value
 * that was sent.
 */
public final class ApiInput {

  /** How many dead letters a request lists when it names no {@code limit}. */
  public static final int DEFAULT_LIMIT = 100;

  /** The most dead letters one request may list. */
  public static final int MAX_LIMIT = 1000;

  private static final String AMOUNT = "amountCents";
  private static final String EXAMPLE = "(1999 for $19.99)";
  private static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(Long.MAX_VALUE);

  private ApiInput() {}

  /**
   * The amount of a new order, from the body of {@code POST /orders}: {@code {"amountCents": n}}, n
   * a whole number of cents from 1 to {@link Long#MAX_VALUE}.
   *
   * <p>Amounts are integers of cents, as everywhere in the model. Only a JSON integer is taken: a
   * number written with a decimal point or an exponent is rejected even when its value is whole
   * ({@code 1999.0}), because JSON parsers hand such numbers over as binary floating point, which
   * holds neither every decimal fraction nor every digit of a large number. So the amount stored is
   * always exactly the one written: never truncated, rounded or clamped.
   *
   * @param body the body as a JSON parser decodes it into plain Java: a {@link Map} for an object,
   *     a {@link List} for an array, a {@link Number}, {@link String} or {@link Boolean} for a
   *     scalar, null for {@code null} or no body
   * @return the amount, in cents, positive
   * @throws InvalidInputException if the body is not an object, or its {@code amountCents} is
   *     missing, not a number, out of range or not an integer
   */
  public static long amountCents(Object body) {
    if (!(body instanceof Map<?, ?> object)) {
      throw new InvalidInputException(
          "body", "expected a JSON object such as {\"amountCents\": 1999}, but got " + kind(body));
    }
    Object value = object.get(AMOUNT);
    if (!(value instanceof Number number)) {
      throw new InvalidInputException(
          AMOUNT,
          value == null
              ? "amountCents is required: a whole number of cents " + EXAMPLE
              : "amountCents must be a number of cents " + EXAMPLE + ", but got " + kind(value));
    }
    BigDecimal amount = decimal(number);
    if (amount == null
        || amount.compareTo(BigDecimal.ONE) < 0
        || amount.compareTo(MAX_AMOUNT) > 0) {
      throw new InvalidInputException(
          AMOUNT,
          "amountCents is out of range: it must be from 1 to "
              + Long.MAX_VALUE
              + " (cents), but was "
              + number);
    }
    if (!isInteger(number)) {
      throw new InvalidInputException(
          AMOUNT,
          "amountCents must be a whole number of cents, without a decimal point or exponent "
              + EXAMPLE
              + ", but was "
              + number);
    }
    return amount.longValueExact();
  }

  /**
   * The {@code succeeded} query parameter of {@code POST /payments/{id}/complete}.
   *
   * @param value the parameter's value, or null if it is absent
   * @return true if absent or {@code true}, false if {@code false}
   * @throws InvalidInputException for any other value, so that a typo never declines a payment
   */
  public static boolean succeeded(String value) {
    if (value == null || value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw new InvalidInputException(
        "succeeded", "succeeded must be true or false, but was '" + value + "'");
  }

  /**
   * The {@code limit} query parameter of {@code GET /dead-letters}.
   *
   * @param value the parameter's value, or null if it is absent
   * @return {@link #DEFAULT_LIMIT} if absent, else the value, from 1 to {@link #MAX_LIMIT}
   * @throws InvalidInputException if the value is not an integer in that range
   */
  public static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException(
          "limit", "limit must be an integer from 1 to " + MAX_LIMIT + ", but was '" + value + "'");
    }
    return limit;
  }

  /** The number's exact value, or null if it has none (NaN, infinity). */
  private static BigDecimal decimal(Number number) {
    if (number instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (number instanceof BigDecimal big) {
      return big;
    }
    try {
      // A double's shortest decimal form: enough to tell whether it is in range.
      return new BigDecimal(number.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether a JSON parser read the number as an integer (no decimal point, no exponent). */
  private static boolean isInteger(Number number) {
    return number instanceof Integer
        || number instanceof Long
        || number instanceof BigInteger
        || number instanceof Short
        || number instanceof Byte;
  }

  private static String kind(Object json) {
    if (json == null) {
      return "null or no body";
    }
    if (json instanceof List<?>) {
      return "an array";
    }
    if (json instanceof Map<?, ?>) {
      return "an object";
    }
    if (json instanceof String) {
      return "a string";
    }
    if (json instanceof Boolean) {
      return "a boolean";
    }
    return json instanceof Number ? "a number" : json.getClass().getSimpleName();
  }
}
