package dev.herald.examples.vertx;

/**
 * Payload of the {@code payment.completed} signal, sent in the transaction that marks a payment
 * succeeded.
 *
 * @param paymentId the payment
 * @param orderId the order it pays
 * @param amountCents the amount, in cents
 */
public record PaymentCompleted(long paymentId, long orderId, long amountCents) {}
