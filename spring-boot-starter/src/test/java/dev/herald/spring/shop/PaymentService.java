package dev.herald.spring.shop;

import dev.herald.Signal;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/** Records a payment and sends {@code payment.completed} in one {@code @Transactional} method. */
@Service
public class PaymentService {

  private final DatabaseClient db;
  private final Signal<PaymentCompleted> paymentCompleted;

  PaymentService(DatabaseClient db, Signal<PaymentCompleted> paymentCompleted) {
    this.db = db;
    this.paymentCompleted = paymentCompleted;
  }

  /**
   * Inserts the payment and sends the signal; then fails if {@code fraud}, rolling both back.
   *
   * @param paymentId the payment
   * @param amountCents its amount
   * @param fraud whether the fraud check rejects it after the send
   * @return completes after commit
   */
  @Transactional
  public Mono<Void> complete(long paymentId, long amountCents, boolean fraud) {
    return db.sql("INSERT INTO shop_payment (id, amount_cents) VALUES ($1, $2)")
        .bind(0, paymentId)
        .bind(1, amountCents)
        .then()
        .then(paymentCompleted.sendReliable(new PaymentCompleted(paymentId, amountCents)))
        .then(
            fraud
                ? Mono.error(new IllegalStateException("fraud check rejected " + paymentId))
                : Mono.empty());
  }

  /**
   * Whether the payment's row exists.
   *
   * @param paymentId the payment
   * @return true if committed
   */
  public Mono<Boolean> exists(long paymentId) {
    return db.sql("SELECT 1 FROM shop_payment WHERE id = $1")
        .bind(0, paymentId)
        .map(row -> true)
        .one()
        .defaultIfEmpty(false);
  }
}
