package dev.herald.bench;

/**
 * The payload every workload sends, Herald's and the peer's alike: a sequence number (the latency
 * harness looks up the intended send time by it) and an order reference.
 *
 * @param seq sequence number within the run
 * @param orderRef the order's reference
 */
public record OrderPlaced(long seq, String orderRef) {

  static OrderPlaced of(long seq) {
    return new OrderPlaced(seq, "order-" + seq);
  }
}
