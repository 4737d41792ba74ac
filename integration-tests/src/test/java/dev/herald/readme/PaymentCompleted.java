package dev.herald.readme;

/**
 * The quickstarts' payload.
 *
 * @param paymentId the payment
 * @param orderId its order
 */
public record PaymentCompleted(long paymentId, long orderId) {}
