package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BreakerOptionsTest {

  static final class ServiceUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void byDefaultTimeoutsAndConnectionFailuresCountAndNothingElse() {
    BreakerOptions defaults = BreakerOptions.defaults();

    assertThat(defaults.counts(new TimeoutException())).isTrue();
    assertThat(defaults.counts(new ConnectException("refused"))).isTrue();
    assertThat(defaults.counts(new UncheckedIOException(new IOException("reset"))))
        .as("found in the cause chain")
        .isTrue();
    assertThat(defaults.counts(new IllegalStateException("crm says: try again"))).isFalse();
    assertThat(defaults.counts(new ServiceUnavailable())).isFalse();
    assertThat(
            defaults.counts(new PermanentFailureException("bad address", new ConnectException())))
        .as("a permanent failure never counts, whatever caused it")
        .isFalse();
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(defaults.counts(a)).as("a looping cause chain ends").isFalse();
  }

  @Test
  void aReceiverCountsItsOwnTypes() {
    BreakerOptions own = BreakerOptions.builder().counting(ServiceUnavailable.class).build();

    assertThat(own.counts(new ServiceUnavailable())).isTrue();
    assertThat(own.counts(new RuntimeException("wrapped", new ServiceUnavailable()))).isTrue();
    assertThat(own.counts(new TimeoutException())).as("the defaults stay").isTrue();
    assertThat(own.counts(new IllegalStateException())).isFalse();
  }

  @Test
  void defaultsAndOff() {
    BreakerOptions d = BreakerOptions.defaults();
    assertThat(d.enabled()).isTrue();
    assertThat(d.window()).isEqualTo(20);
    assertThat(d.minimumCalls()).isEqualTo(10);
    assertThat(d.failureRatePercent()).isEqualTo(50);
    assertThat(d.openFor()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.probes()).isEqualTo(2);
    assertThat(ReceiverOptions.defaults().breaker()).isSameAs(d);
    assertThat(BreakerOptions.off().enabled()).isFalse();
    assertThat(BreakerOptions.off()).hasToString("BreakerOptions[off]");
  }

  @Test
  void invalidOptionsFailWhenSetNamingTheOption() {
    assertThatThrownBy(() -> BreakerOptions.builder().window(0))
        .hasMessage("window must be at least 1, but was 0");
    assertThatThrownBy(() -> BreakerOptions.builder().minimumCalls(0))
        .hasMessage("minimumCalls must be at least 1, but was 0");
    assertThatThrownBy(() -> BreakerOptions.builder().failureRatePercent(101))
        .hasMessage("failureRatePercent must be from 1 to 100, but was 101");
    assertThatThrownBy(() -> BreakerOptions.builder().openFor(Duration.ZERO))
        .hasMessage("openFor must be positive, but was PT0S");
    assertThatThrownBy(() -> BreakerOptions.builder().probes(0))
        .hasMessage("probes must be at least 1, but was 0");
    assertThatThrownBy(() -> BreakerOptions.builder().window(5).minimumCalls(6).build())
        .hasMessage("minimumCalls must not exceed window, but was 6 > 5");
    assertThatThrownBy(() -> BreakerOptions.builder().counting(PermanentFailureException.class))
        .hasMessageStartingWith("counting must not include dev.herald.PermanentFailureException");
    assertThatThrownBy(() -> ReceiverOptions.builder().breaker(null)).hasMessage("breaker");
  }
}
