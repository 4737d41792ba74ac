package dev.herald.examples.domain;

import dev.herald.Delivery;
import dev.herald.Receiver;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which payment each delivered task carried, so that the {@link DemoScenario} can tie
 * Herald's events (which name tasks, not payloads) to its payments. Instrumentation for the demo's
 * account, not something an application needs. Thread-safe: receivers record from any thread.
 */
public final class DeliveryJournal {

  private final Map<Long, Long> paymentByTask = new ConcurrentHashMap<>();

  /**
   * Wraps a receiver so that every attempt is recorded before it runs. Works for any receiver,
   * including a Vert.x one adapted with {@code VertxReceivers.fromFuture}.
   *
   * @param receiver the receiver
   * @return the recording receiver
   */
  public Receiver<PaymentCompleted> recording(Receiver<PaymentCompleted> receiver) {
    return delivery -> {
      record(delivery);
      return receiver.receive(delivery);
    };
  }

  /**
   * Records an attempt, for a receiver that is not a {@link Receiver} object (a Spring
   * {@code @HeraldReceiver} method, say): call it first thing in the attempt.
   *
   * @param delivery the attempt's delivery
   */
  public void record(Delivery<PaymentCompleted> delivery) {
    paymentByTask.put(delivery.taskId(), delivery.payload().paymentId());
  }

  /**
   * The payment a task carried, once one of its attempts ran.
   *
   * @param taskId the task
   * @return the payment id, or empty if no attempt of this task ran here
   */
  OptionalLong paymentOf(long taskId) {
    Long paymentId = paymentByTask.get(taskId);
    return paymentId == null ? OptionalLong.empty() : OptionalLong.of(paymentId);
  }

  /**
   * Whether any receiver ran for a payment.
   *
   * @param paymentId the payment
   * @return true if an attempt of one of its tasks ran here
   */
  boolean anyRanFor(long paymentId) {
    return paymentByTask.containsValue(paymentId);
  }
}
