package dev.herald.spring.shop;

import dev.herald.Delivery;
import dev.herald.spring.HeraldReceiver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

/**
 * The two receivers of {@code payment.completed}: one takes the payload, the other the delivery and
 * writes in a transaction of its own (through the bean's transactional proxy).
 */
@Component
public class ShopReceivers {

  private final DatabaseClient db;
  private final Set<Long> synced = ConcurrentHashMap.newKeySet();

  ShopReceivers(DatabaseClient db) {
    this.db = db;
  }

  /** Records the payment as synced to the CRM, in memory. */
  @HeraldReceiver(signal = PaymentCompleted.SIGNAL, name = "crm-sync")
  public Mono<Void> syncCrm(PaymentCompleted event) {
    return Mono.fromRunnable(() -> synced.add(event.paymentId()));
  }

  /**
   * Books the payment, once: a redelivery of the task finds its row (at-least-once delivery makes a
   * receiver idempotent). Keyed by payment, since task ids restart with every test's table.
   */
  @Transactional
  @HeraldReceiver(signal = PaymentCompleted.SIGNAL, name = "ledger")
  public Mono<Void> book(Delivery<PaymentCompleted> delivery) {
    return db.sql(
            "INSERT INTO shop_booking (payment_id, task_id) VALUES ($1, $2)"
                + " ON CONFLICT (payment_id) DO NOTHING")
        .bind(0, delivery.payload().paymentId())
        .bind(1, delivery.taskId())
        .then();
  }

  /**
   * @param paymentId a payment
   * @return whether crm-sync ran for it
   */
  public boolean synced(long paymentId) {
    return synced.contains(paymentId);
  }

  /**
   * @param paymentId a payment
   * @return how many bookings it has
   */
  public Mono<Long> booked(long paymentId) {
    return db.sql("SELECT count(*) AS n FROM shop_booking WHERE payment_id = $1")
        .bind(0, paymentId)
        .map(row -> row.get("n", Long.class))
        .one();
  }
}
