package dev.herald.examples.domain;

import dev.herald.Delivery;
import dev.herald.Receiver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The {@code send-receipt} receiver: "e-mails" a receipt through a simulated mail server that fails
 * in a deterministic way, so that the demo shows retries and a dead letter:
 *
 * <ul>
 *   <li>for every third payment (ids 3, 6, 9, ...) the first attempt meets a temporary error, and
 *       the retry succeeds;
 *   <li>for a payment of exactly {@link #POISON_AMOUNT_CENTS} every attempt is rejected, so the
 *       task is dead-lettered once its retries are spent (requeue it to try again).
 * </ul>
 *
 * <p>Receipts are keyed by {@link Delivery#taskId()}, so a redelivered task sends no second
 * receipt. It touches no database, so both demos connect this one implementation; the simulated
 * round trip runs on Reactor's timer, never blocking the caller's thread.
 */
public final class ReceiptSender implements Receiver<PaymentCompleted> {

  /** The amount for which the mail server always refuses the receipt. */
  public static final long POISON_AMOUNT_CENTS = 4_04;

  private static final Duration ROUND_TRIP = Duration.ofMillis(20);
  private static final Logger log = LoggerFactory.getLogger(ReceiptSender.class);

  private final Map<Long, PaymentCompleted> sent = new ConcurrentHashMap<>();

  @Override
  public Mono<Void> receive(Delivery<PaymentCompleted> delivery) {
    PaymentCompleted payment = delivery.payload();
    if (payment.amountCents() == POISON_AMOUNT_CENTS) {
      return Mono.error(
          new MailServerException(
              "550 5.1.1 receipt for payment " + payment.paymentId() + " rejected"));
    }
    if (payment.paymentId() % 3 == 0 && delivery.attempt() == 1) {
      return Mono.error(new MailServerException("421 4.3.2 service not available, try again"));
    }
    return Mono.delay(ROUND_TRIP)
        .doOnNext(
            t -> {
              if (sent.putIfAbsent(delivery.taskId(), payment) == null) {
                log.info(
                    "Receipt sent for payment {} ({}), attempt {}",
                    payment.paymentId(),
                    Money.format(payment.amountCents()),
                    delivery.attempt());
              }
            })
        .then();
  }

  /**
   * How many distinct receipts were sent.
   *
   * @return one per task that succeeded here
   */
  int receiptsSent() {
    return sent.size();
  }

  /** A failure of the simulated mail server; its message is the server's reply. */
  static final class MailServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MailServerException(String message) {
      super(message);
    }
  }
}
