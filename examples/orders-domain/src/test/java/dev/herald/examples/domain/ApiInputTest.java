package dev.herald.examples.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiInputTest {

  private static Map<String, Object> body(Object amountCents) {
    Map<String, Object> body = new HashMap<>();
    body.put("amountCents", amountCents);
    return body;
  }

  private static void assertRejected(Runnable call, String parameter, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.parameter()).isEqualTo(parameter))
        .hasMessage(message);
  }

  @Test
  void amountIsTakenExactlyFromEveryIntegerTypeAParserProduces() {
    assertThat(ApiInput.amountCents(body(1999))).isEqualTo(1999L);
    assertThat(ApiInput.amountCents(body(12_500_00L))).isEqualTo(12_500_00L);
    assertThat(ApiInput.amountCents(body(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(ApiInput.amountCents(body(BigInteger.valueOf(Long.MAX_VALUE))))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(ApiInput.amountCents(body(1))).isEqualTo(1L);
  }

  @Test
  void fractionalAmountIsRejectedNotTruncated() {
    String message =
        "amountCents must be a whole number of cents, without a decimal point or exponent"
            + " (1999 for $19.99), but was 19.99";
    assertRejected(() -> ApiInput.amountCents(body(19.99)), "amountCents", message);
    assertRejected(
        () -> ApiInput.amountCents(body(new BigDecimal("19.99"))), "amountCents", message);
  }

  @Test
  void amountWithADecimalPointIsRejectedEvenWhenWhole() {
    assertRejected(
        () -> ApiInput.amountCents(body(1999.0)),
        "amountCents",
        "amountCents must be a whole number of cents, without a decimal point or exponent"
            + " (1999 for $19.99), but was 1999.0");
  }

  @Test
  void hugeAmountIsOutOfRangeNotClamped() {
    String range = "amountCents is out of range: it must be from 1 to 9223372036854775807 (cents)";
    assertRejected(
        () -> ApiInput.amountCents(body(1e30)), "amountCents", range + ", but was 1.0E30");
    assertRejected(
        () -> ApiInput.amountCents(body(new BigInteger("9223372036854775808"))),
        "amountCents",
        range + ", but was 9223372036854775808");
    assertRejected(
        () -> ApiInput.amountCents(body(Double.POSITIVE_INFINITY)),
        "amountCents",
        range + ", but was Infinity");
  }

  @Test
  void zeroAndNegativeAmountsAreOutOfRange() {
    String range = "amountCents is out of range: it must be from 1 to 9223372036854775807 (cents)";
    assertRejected(() -> ApiInput.amountCents(body(0)), "amountCents", range + ", but was 0");
    assertRejected(() -> ApiInput.amountCents(body(-5L)), "amountCents", range + ", but was -5");
    assertRejected(() -> ApiInput.amountCents(body(0.5)), "amountCents", range + ", but was 0.5");
  }

  @Test
  void amountMustBeAJsonNumber() {
    assertRejected(
        () -> ApiInput.amountCents(body("1999")),
        "amountCents",
        "amountCents must be a number of cents (1999 for $19.99), but got a string");
    assertRejected(
        () -> ApiInput.amountCents(body(null)),
        "amountCents",
        "amountCents is required: a whole number of cents (1999 for $19.99)");
    assertRejected(
        () -> ApiInput.amountCents(Map.of("amount", 1999)),
        "amountCents",
        "amountCents is required: a whole number of cents (1999 for $19.99)");
  }

  @Test
  void bodyMustBeAJsonObject() {
    String expected = "expected a JSON object such as {\"amountCents\": 1999}, but got ";
    assertRejected(() -> ApiInput.amountCents(List.of(1999)), "body", expected + "an array");
    assertRejected(() -> ApiInput.amountCents(null), "body", expected + "null or no body");
    assertRejected(() -> ApiInput.amountCents(1999), "body", expected + "a number");
    assertRejected(() -> ApiInput.amountCents("x"), "body", expected + "a string");
  }

  @Test
  void succeededIsTrueWhenAbsentAndOtherwiseOnlyTrueOrFalse() {
    assertThat(ApiInput.succeeded(null)).isTrue();
    assertThat(ApiInput.succeeded("true")).isTrue();
    assertThat(ApiInput.succeeded("false")).isFalse();
    for (String bad : List.of("maybe", "", "yes", "1", "TRUE")) {
      assertRejected(
          () -> ApiInput.succeeded(bad),
          "succeeded",
          "succeeded must be true or false, but was '" + bad + "'");
    }
  }

  @Test
  void limitDefaultsTo100AndMustBeFrom1To1000() {
    assertThat(ApiInput.limit(null)).isEqualTo(ApiInput.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(ApiInput.limit("1")).isEqualTo(1);
    assertThat(ApiInput.limit("1000")).isEqualTo(ApiInput.MAX_LIMIT);
    for (String bad : List.of("0", "-1", "1001", "99999999999", "abc", "", "1.5")) {
      assertRejected(
          () -> ApiInput.limit(bad),
          "limit",
          "limit must be an integer from 1 to 1000, but was '" + bad + "'");
    }
  }
}
