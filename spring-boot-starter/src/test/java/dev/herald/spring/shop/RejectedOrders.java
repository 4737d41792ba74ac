package dev.herald.spring.shop;

import dev.herald.Herald;
import dev.herald.PermanentFailureException;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spring.HeraldReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A signal whose receiver always fails permanently: each send leaves one dead letter. */
@TestConfiguration(proxyBeanMethods = false)
public class RejectedOrders {

  /** The signal's name. */
  public static final String SIGNAL = "shop.rejected";

  /** How long the tests wait for Herald. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

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

  /**
   * Waits for the dead letter of the order sent with {@code note}.
   *
   * @param herald the application's Herald
   * @param note the order's note
   * @return the dead task
   */
  public static TaskInfo awaitDeadLetter(Herald herald, String note) {
    return Awaitility.await()
        .atMost(TIMEOUT)
        .until(
            () -> deadLetters(herald).filter(t -> t.payload().contains(note)).next().block(TIMEOUT),
            t -> t != null);
  }

  /**
   * @param herald the application's Herald
   * @param id a task id
   * @return the task if it is a dead letter of this signal, else null
   */
  public static TaskInfo deadLetter(Herald herald, long id) {
    return deadLetters(herald).filter(t -> t.id() == id).next().block(TIMEOUT);
  }

  private static Flux<TaskInfo> deadLetters(Herald herald) {
    return herald.deadLetters().list(SIGNAL, null, 0, 1000);
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
