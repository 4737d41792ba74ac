package dev.herald.readme;

import reactor.core.publisher.Mono;

/**
 * Application code a quickstart calls (a stand-in the tests implement): Sends receipts; the task id
 * is its idempotency key.
 */
interface Mailer {
  Mono<Void> sendReceipt(PaymentCompleted payment, long taskId);
}
