package dev.herald.spring.shop;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.Signal;
import dev.herald.spring.HeraldReceiver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** A signal whose receiver always fails permanently: each send leaves one dead letter. */
@TestConfiguration(proxyBeanMethods = false)
public class RejectedOrders {

  /** The signal's name. */
  public static final String SIGNAL = "shop.rejected";

  /**
   * The rejected order.
   *
   * @param note what the operator reads
   */
  public record Rejected(String note) {}

  @Bean
  Signal<Rejected> rejectedSignal(Herald herald) {
    return herald.signal(SIGNAL, Rejected.class);
  }

  @Bean
  Sender rejectedSender(Signal<Rejected> signal, TransactionalOperator tx) {
    return note -> tx.transactional(signal.sendReliable(new Rejected(note))).then();
  }

  @Bean
  Rejecter rejecter() {
    return new Rejecter();
  }

  /** Sends one rejected order in its own transaction. */
  public interface Sender {
    /**
     * @param note the payload's note
     * @return completes once committed
     */
    Mono<Void> send(String note);
  }

  /** The receiver that always fails permanently. */
  public static class Rejecter {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /**
     * @param note an order's note
     * @return how often the receiver ran for it
     */
    public int calls(String note) {
      AtomicInteger n = calls.get(note);
      return n == null ? 0 : n.get();
    }

    /**
     * @param order the order
     * @return always a permanent failure
     */
    @HeraldReceiver(signal = SIGNAL, name = "fulfil")
    public Mono<Void> fulfil(Rejected order) {
      calls.computeIfAbsent(order.note(), k -> new AtomicInteger()).incrementAndGet();
      return Mono.error(new PermanentFailureException("cannot fulfil " + order.note()));
    }
  }
}
