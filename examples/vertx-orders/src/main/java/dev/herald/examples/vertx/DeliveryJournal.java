package dev.herald.examples.vertx;

import dev.herald.Delivery;
import io.vertx.core.Future;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers which payment each delivered task carried, so that the demo can tie Herald's events
 * (which name tasks, not payloads) to its payments. Instrumentation for the demo's account, not
 * something an application needs.
 */
public final class DeliveryJournal {

  private final Map<Long, Long> paymentByTask = new ConcurrentHashMap<>();

  /**
   * Wraps a receiver so that every attempt is recorded before it runs.
   *
   * @param receiver the receiver
   * @return the recording receiver
   */
  public Function<Delivery<PaymentCompleted>, Future<Void>> recording(
      Function<Delivery<PaymentCompleted>, Future<Void>> receiver) {
    return delivery -> {
      paymentByTask.put(delivery.taskId(), delivery.payload().paymentId());
      return receiver.apply(delivery);
    };
  }

  /**
   * The payment a task carried, once one of its attempts ran.
   *
   * @param taskId the task
   * @return the payment id, or empty if no attempt of this task ran here
   */
  public OptionalLong paymentOf(long taskId) {
    Long paymentId = paymentByTask.get(taskId);
    return paymentId == null ? OptionalLong.empty() : OptionalLong.of(paymentId);
  }

  /**
   * Whether any receiver ran for a payment.
   *
   * @param paymentId the payment
   * @return true if an attempt of one of its tasks ran here
   */
  public boolean anyRanFor(long paymentId) {
    return paymentByTask.containsValue(paymentId);
  }
}
