package dev.herald.examples.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Delivery;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ReceiptSenderTest {

  private final ReceiptSender sender = new ReceiptSender();

  private static Delivery<PaymentCompleted> delivery(
      long taskId, int attempt, long paymentId, long amountCents) {
    return new Delivery<>(
        PaymentCompleted.SIGNAL,
        PaymentCompleted.SEND_RECEIPT,
        taskId,
        attempt,
        Instant.EPOCH,
        Map.of(),
        new PaymentCompleted(paymentId, paymentId, amountCents));
  }

  @Test
  void redeliveredTaskSendsNoSecondReceipt() {
    StepVerifier.create(sender.receive(delivery(1, 1, 1, 19_99))).verifyComplete();
    StepVerifier.create(sender.receive(delivery(1, 2, 1, 19_99))).verifyComplete();

    assertThat(sender.receiptsSent()).isEqualTo(1);
  }

  @Test
  void everyThirdPaymentFailsItsFirstAttemptOnly() {
    StepVerifier.create(sender.receive(delivery(7, 1, 3, 7_50)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ReceiptSender.MailServerException.class)
                    .hasMessageStartingWith("421"))
        .verify();
    StepVerifier.create(sender.receive(delivery(7, 2, 3, 7_50))).verifyComplete();
  }

  @Test
  void poisonAmountIsRefusedOnEveryAttempt() {
    for (int attempt = 1; attempt <= 3; attempt++) {
      StepVerifier.create(
              sender.receive(delivery(8, attempt, 4, ReceiptSender.POISON_AMOUNT_CENTS)))
          .expectErrorMessage("550 5.1.1 receipt for payment 4 rejected")
          .verify();
    }
    assertThat(sender.receiptsSent()).isZero();
  }
}
