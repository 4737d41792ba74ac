package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.spring.TestDatabaseProperties;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The shop started with a bad configuration: Spring Boot's failure report says what to change. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIT {

  @Test
  void invalidPropertyFailsStartupNamingIt(CapturedOutput output) {
    assertThatThrownBy(() -> start("--herald.poll-interval=0s")).isNotNull();

    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Property: herald.poll-interval")
        .contains("pollInterval must be positive, but was PT0S");
  }

  @Test
  void invalidReceiverPropertyFailsStartupNamingIt(CapturedOutput output) {
    assertThatThrownBy(() -> start("--herald.receivers.payment.completed.crm-sync.concurrency=0"))
        .isNotNull();

    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Property: herald.receivers.payment.completed.crm-sync.concurrency")
        .contains("concurrency must be at least 1, but was 0");
  }

  @Test
  void misspeltReceiverBlockFailsStartupSayingWhatToChange(CapturedOutput output) {
    assertThatThrownBy(() -> start("--herald.receivers.payment.completed.crm-synk.concurrency=4"))
        .isNotNull();

    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("herald.receivers.payment.completed.crm-synk.concurrency")
        .contains("payment.completed/crm-sync, payment.completed/ledger")
        .contains("Action:")
        .contains("Correct the signal or receiver name");
  }

  private static void start(String... arguments) {
    String[] database =
        Arrays.stream(TestDatabaseProperties.withFreshTable())
            .map(p -> "--" + p)
            .toArray(String[]::new);
    new SpringApplicationBuilder(ShopApplication.class)
        .web(WebApplicationType.NONE)
        .run(
            Stream.concat(Arrays.stream(database), Arrays.stream(arguments)).toArray(String[]::new))
        .close();
  }
}
