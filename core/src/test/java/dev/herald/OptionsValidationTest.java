package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.spi.TableName;
import dev.herald.testing.InMemoryTaskStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Invalid configuration fails when built, with a message naming the option and the value. */
class OptionsValidationTest {

  @Test
  void pollIntervalMustBePositive() {
    assertThatThrownBy(() -> HeraldOptions.builder().pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be positive, but was PT0S");
  }

  @Test
  void leaseMustBeAtLeastOneSecond() {
    assertThatThrownBy(() -> HeraldOptions.builder().lease(Duration.ofMillis(500)))
        .hasMessage("lease must be at least 1s, but was PT0.5S");
  }

  @Test
  void storeTimeoutMustBeShorterThanTheLeaseAndFollowsAShortLease() {
    assertThatThrownBy(
            () ->
                HeraldOptions.builder()
                    .lease(Duration.ofSeconds(5))
                    .storeTimeout(Duration.ofSeconds(5))
                    .build())
        .hasMessage(
            "storeTimeout must be shorter than the lease, but was PT5S with a lease of PT5S");
    assertThat(HeraldOptions.builder().lease(Duration.ofSeconds(4)).build().storeTimeout())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(HeraldOptions.builder().build().storeTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void prefetchMustNotBeNegativeAndDefaultsToTheConcurrency() {
    assertThatThrownBy(() -> ReceiverOptions.builder().prefetch(-1))
        .hasMessage("prefetch must be at least 0, but was -1");
    assertThat(ReceiverOptions.builder().concurrency(7).build().prefetch()).isEqualTo(7);
  }

  @Test
  void namesRejectControlCharactersAndUnpairedSurrogates() {
    assertThatThrownBy(() -> HeraldOptions.builder().nodeId("node\u0000a"))
        .hasMessage(
            "nodeId must not contain control characters or unpaired surrogates, but has \\u0000"
                + " at offset 4");
    Herald herald = Herald.builder(dev.herald.testing.InMemoryTaskStore.create()).build();
    assertThatThrownBy(() -> herald.signal("orders\npaid", String.class))
        .hasMessageContaining("signal name must not contain control characters");
    assertThatThrownBy(() -> herald.signal("s", String.class).connect("r\ud800", d -> null))
        .hasMessageContaining("receiverName must not contain control characters");
    assertThat(herald.signal("commandes.payées-\ud83d\ude00", String.class)).isNotNull();
  }

  @Test
  void maxInFlightMustBePositive() {
    assertThatThrownBy(() -> HeraldOptions.builder().maxInFlight(0))
        .hasMessage("maxInFlight must be at least 1, but was 0");
  }

  @Test
  void receiverConcurrencyAndTimeoutAreChecked() {
    assertThatThrownBy(() -> ReceiverOptions.builder().concurrency(-2))
        .hasMessage("concurrency must be at least 1, but was -2");
    assertThatThrownBy(() -> ReceiverOptions.builder().timeout(Duration.ofSeconds(-1)))
        .hasMessage("timeout must be positive, but was PT-1S");
  }

  @Test
  void retryPolicyIsChecked() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be at least 1, but was 0");
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
        .hasMessage("multiplier must be a finite number of at least 1, but was 0.5");
    assertThatThrownBy(
            () ->
                RetryPolicy.builder()
                    .initialDelay(Duration.ofSeconds(10))
                    .maxDelay(Duration.ofSeconds(1))
                    .build())
        .hasMessage("maxDelay must not be shorter than initialDelay, but was PT1S < PT10S");
  }

  @Test
  void tableNameMustBeAPlainIdentifier() {
    assertThat(TableName.parse("herald_task").qualified()).isEqualTo("herald_task");
    assertThat(TableName.parse("app.outbox_1").qualified()).isEqualTo("app.outbox_1");
    for (String bad :
        new String[] {
          "", "Herald", "t; DROP TABLE x", "\"quoted\"", "a.b.c", "1abc", "x".repeat(49)
        }) {
      assertThatThrownBy(() -> TableName.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("tableName must be a plain identifier")
          .hasMessageContaining("but was '" + bad + "'");
    }
    assertThatThrownBy(() -> new TableName("app", "t; DROP TABLE x"))
        .as("the record's constructor validates too")
        .hasMessageContaining("but was 'app.t; DROP TABLE x'");
    assertThatThrownBy(() -> new TableName("App", "t")).hasMessageContaining("but was 'App.t'");
  }

  @Test
  void channelNamesFitPostgresLimit() {
    TableName longest = TableName.parse("s".repeat(48) + "." + "t".repeat(48));
    assertThat(longest.channel().length()).isLessThanOrEqualTo(63);
    assertThat(TableName.parse("herald_task").channel()).isEqualTo("herald_herald_task");
  }

  @Test
  void receiverNamesAreValidatedAndUniquePerSignal() {
    Herald herald = Herald.builder(InMemoryTaskStore.create()).build();
    Signal<String> signal = herald.signal("s", String.class);
    assertThatThrownBy(() -> signal.connect(" ", d -> Mono.empty()))
        .hasMessage("receiverName must be 1 to 200 characters and not blank, but was ' '");
    signal.connect("r", d -> Mono.empty());
    assertThatThrownBy(() -> signal.connect("r", d -> Mono.empty()))
        .hasMessage("receiver 'r' is already connected for signal 's'");
    assertThatThrownBy(() -> herald.signal("s", Integer.class))
        .hasMessage(
            "signal 's' is declared with payload type java.lang.String, not java.lang.Integer");
  }

  @Test
  void receiversCannotBeConnectedAfterStart() {
    Herald herald = Herald.builder(InMemoryTaskStore.create()).build();
    Signal<String> signal = herald.signal("s", String.class);
    herald.start();
    try {
      assertThatThrownBy(() -> signal.connect("late", d -> Mono.empty()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("connect receivers before start()");
    } finally {
      herald.close().block(Duration.ofSeconds(5));
    }
  }
}
