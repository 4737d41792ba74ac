package dev.herald.readme;

import reactor.core.publisher.Mono;

/** Application code a quickstart calls (a stand-in the tests implement): the orders table. */
interface Orders {
  Mono<Void> complete(long orderId);
}
