package dev.herald.examples.vertx;

import dev.herald.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * receipt.
 */
public final class ReceiptSender implements Function<Delivery<PaymentCompleted>, Future<Void>> {

  /** The receiver's stable name. */
  public static final String NAME = "send-receipt";

  /** The amount for which the mail server always refuses the receipt. */
  public static final long POISON_AMOUNT_CENTS = 4_04;

  private static final Logger log = LoggerFactory.getLogger(ReceiptSender.class);

  private final Vertx vertx;
  private final Map<Long, PaymentCompleted> sent = new ConcurrentHashMap<>();

  /**
   * Creates the receiver.
   *
   * @param vertx for the mail server's simulated round trip
   */
  public ReceiptSender(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> apply(Delivery<PaymentCompleted> delivery) {
    PaymentCompleted payment = delivery.payload();
    if (payment.amountCents() == POISON_AMOUNT_CENTS) {
      return Future.failedFuture(
          new MailServerException(
              "550 5.1.1 receipt for payment " + payment.paymentId() + " rejected"));
    }
    if (payment.paymentId() % 3 == 0 && delivery.attempt() == 1) {
      return Future.failedFuture(
          new MailServerException("421 4.3.2 service not available, try again"));
    }
    // Stands in for the mail server's round trip.
    return vertx
        .timer(20)
        .map(
            t -> {
              if (sent.putIfAbsent(delivery.taskId(), payment) == null) {
                log.info(
                    "Receipt sent for payment {} ({}), attempt {}",
                    payment.paymentId(),
                    Money.format(payment.amountCents()),
                    delivery.attempt());
              }
              return null;
            });
  }

  /** A failure of the simulated mail server. */
  public static final class MailServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the server's reply
     */
    public MailServerException(String message) {
      super(message);
    }
  }
}
