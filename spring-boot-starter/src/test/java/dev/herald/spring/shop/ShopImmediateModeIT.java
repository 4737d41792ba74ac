package dev.herald.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.NoTransactionException;
import dev.herald.Signal;
import dev.herald.spring.TestDatabaseProperties;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shop's own tests, as a user writes them with {@code herald.test.immediate=true}: receivers
 * have run when the transactional service call returns, so no waiting is needed.
 */
@SpringBootTest(
    classes = ShopApplication.class,
    properties = {
      "herald.test.immediate=true",
      "spring.sql.init.mode=always",
      "spring.sql.init.schema-locations=classpath:shop-schema.sql"
    })
class ShopImmediateModeIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabaseProperties.register(registry);
  }

  @Autowired PaymentService payments;
  @Autowired ShopReceivers receivers;
  @Autowired Signal<PaymentCompleted> paymentCompleted;

  @Test
  void receiverEffectsAreVisibleRightAfterTheServiceCall() {
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    payments.complete(id, 25_00, false).block(TIMEOUT);

    assertThat(receivers.synced(id)).isTrue();
    assertThat(receivers.booked(id).block(TIMEOUT)).isEqualTo(1L);
  }

  @Test
  void rolledBackServiceCallRunsNoReceiver() {
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    assertThatThrownBy(() -> payments.complete(id, 404, true).block(TIMEOUT))
        .hasMessageContaining("fraud check rejected");

    assertThat(payments.exists(id).block(TIMEOUT)).isFalse();
    assertThat(receivers.synced(id)).isFalse();
    assertThat(receivers.booked(id).block(TIMEOUT)).isZero();
  }

  @Test
  void sendOutsideATransactionFailsAsItDoesOnTheDatabase() {
    assertThatThrownBy(
            () -> paymentCompleted.sendReliable(new PaymentCompleted(1, 1)).block(TIMEOUT))
        .isInstanceOf(NoTransactionException.class);
  }
}
