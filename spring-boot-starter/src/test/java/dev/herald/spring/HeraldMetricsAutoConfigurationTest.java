package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.HeraldMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Without a MeterRegistry bean, no HeraldMetrics. */
class HeraldMetricsAutoConfigurationTest {

  @Test
  void noRegistryNoMetrics() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                HeraldAutoConfiguration.class, HeraldMetricsAutoConfiguration.class))
        .withPropertyValues("herald.test.immediate=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(HeraldMetrics.class);
            });
  }
}
