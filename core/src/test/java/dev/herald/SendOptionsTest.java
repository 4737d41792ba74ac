package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendOptionsTest {

  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

  @Test
  void theLaterOfDelayAndInstantCountsAndThePastMeansAtOnce() {
    assertThat(SendOptions.none().dueIn(NOW)).isZero();
    assertThat(SendOptions.delay(Duration.ofMinutes(5)).dueIn(NOW))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(SendOptions.notBefore(NOW.plusSeconds(90)).dueIn(NOW))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(SendOptions.notBefore(NOW.minusSeconds(90)).dueIn(NOW)).isZero();
    assertThat(
            SendOptions.delay(Duration.ofSeconds(10)).withNotBefore(NOW.plusSeconds(60)).dueIn(NOW))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            SendOptions.notBefore(NOW.plusSeconds(5)).withDelay(Duration.ofSeconds(60)).dueIn(NOW))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void headersAreCopiedAndBadValuesFailNamingTheOption() {
    Map<String, String> headers = new HashMap<>(Map.of("traceparent", "00-abc"));
    SendOptions options = SendOptions.none().withHeaders(headers);
    headers.put("later", "change");
    assertThat(options.headers()).containsExactly(Map.entry("traceparent", "00-abc"));

    assertThatThrownBy(() -> SendOptions.delay(Duration.ofSeconds(-1)))
        .hasMessage("delay must not be negative, but was PT-1S");
    assertThatThrownBy(() -> SendOptions.delay(null)).hasMessage("delay");
    assertThatThrownBy(() -> SendOptions.notBefore(null)).hasMessage("notBefore");
  }

  @Test
  void keysAreKeptThroughEveryCopyAndBadKeysFailNamingTheOption() {
    SendOptions options =
        SendOptions.dedupeKey("cart-7")
            .withOrderingKey("customer-42")
            .withDelay(Duration.ofMinutes(1))
            .withNotBefore(NOW)
            .withHeaders(Map.of("h", "v"));
    assertThat(options.dedupeKey()).isEqualTo("cart-7");
    assertThat(options.orderingKey()).isEqualTo("customer-42");
    assertThat(SendOptions.orderingKey("k").dedupeKey()).isNull();
    assertThat(SendOptions.none().orderingKey()).isNull();

    assertThatThrownBy(() -> SendOptions.dedupeKey(" "))
        .hasMessage("dedupeKey must be 1 to 200 characters and not blank, but was ' '");
    assertThatThrownBy(() -> SendOptions.orderingKey("x".repeat(201)))
        .hasMessageStartingWith("orderingKey must be 1 to 200 characters");
    assertThatThrownBy(() -> SendOptions.none().withOrderingKey("a\tb"))
        .hasMessageStartingWith("orderingKey");
    assertThatThrownBy(() -> SendOptions.none().withDedupeKey(null)).hasMessage("dedupeKey");
  }
}
