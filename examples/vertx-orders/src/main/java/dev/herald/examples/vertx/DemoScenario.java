package dev.herald.examples.vertx;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.examples.vertx.ScenarioAccount.DeadLetter;
import dev.herald.examples.vertx.ScenarioAccount.Entry;
import dev.herald.examples.vertx.ScenarioAccount.Outcome;
import dev.herald.examples.vertx.ScenarioAccount.ReceiverResult;
import dev.herald.examples.vertx.ScenarioAccount.State;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The demo's story: creates six orders and completes their payments (one pays the receipt's poison
 * amount, one is rolled back by the fraud check, one is declined), waits for Herald's events until
 * every committed task was delivered or dead-lettered, and returns an account of what happened.
 */
public final class DemoScenario {

  /** How long the scenario waits for the receivers. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  /** One order of the scenario: its amount, and whether its payment succeeds. */
  private record Step(long amountCents, boolean succeeded) {}

  /** A step after its payment's transaction ended. */
  private record Played(Order order, Outcome outcome, String reason) {}

  /** The events observed for the scenario's tasks, and whether every task finished. */
  private record Seen(List<HeraldEvent> events, boolean complete) {}

  private static final List<Step> STEPS =
      List.of(
          new Step(19_99, true),
          new Step(42_00, true),
          // payment 3: the mail server fails the receipt's first attempt
          new Step(7_50, true),
          new Step(ReceiptSender.POISON_AMOUNT_CENTS, true),
          // over the fraud check's limit: rolled back after the signal was sent
          new Step(12_500_00, true),
          new Step(15_00, false));

  private static final List<String> RECEIVERS = List.of(OrderCompleter.NAME, ReceiptSender.NAME);

  private final PaymentService payments;
  private final OrderRepository orders;
  private final Pool pool;
  private final Herald herald;
  private final DeliveryJournal journal;

  /**
   * Creates the scenario.
   *
   * @param payments the payment service
   * @param orders the repository
   * @param pool the pool, to read the orders back
   * @param herald the Herald instance
   * @param journal which payment each task carried
   */
  public DemoScenario(
      PaymentService payments,
      OrderRepository orders,
      Pool pool,
      Herald herald,
      DeliveryJournal journal) {
    this.payments = payments;
    this.orders = orders;
    this.pool = pool;
    this.herald = herald;
    this.journal = journal;
  }

  /**
   * Plays the scenario once.
   *
   * @return the account, once every committed task finished (or {@link #WAIT} elapsed)
   */
  public Future<ScenarioAccount> play() {
    // Events are hot: record them from before the first send, for the late subscriber that waits
    // for the receivers, and stop recording when the account is taken.
    AtomicReference<Disposable> recording = new AtomicReference<>();
    Flux<HeraldEvent> events =
        herald
            .events()
            .filter(e -> OrdersApp.PAYMENT_COMPLETED.equals(e.signal()))
            .replay()
            .autoConnect(0, recording::set);
    Future<List<Played>> played = Future.succeededFuture(new ArrayList<>());
    for (Step step : STEPS) {
      played =
          played.compose(
              list ->
                  play(step)
                      .map(
                          p -> {
                            list.add(p);
                            return list;
                          }));
    }
    return played
        .compose(list -> awaitReceivers(list, events).compose(seen -> account(list, seen)))
        .andThen(r -> recording.get().dispose());
  }

  private Future<Played> play(Step step) {
    return payments
        .createOrder(step.amountCents())
        .compose(
            order ->
                payments
                    .complete(order.paymentId(), step.succeeded())
                    .map(
                        p ->
                            new Played(
                                order,
                                step.succeeded() ? Outcome.SUCCEEDED : Outcome.DECLINED,
                                null))
                    .recover(
                        e ->
                            e instanceof FraudCheck.FraudSuspectedException
                                ? Future.succeededFuture(
                                    new Played(order, Outcome.ROLLED_BACK, "fraud check"))
                                : Future.failedFuture(e)));
  }

  /** The events of the committed payments' tasks, up to the last delivery or dead letter. */
  private Future<Seen> awaitReceivers(List<Played> played, Flux<HeraldEvent> events) {
    Set<Long> committed =
        played.stream()
            .filter(p -> p.outcome() == Outcome.SUCCEEDED)
            .map(p -> p.order().paymentId())
            .collect(Collectors.toSet());
    int expected = committed.size() * RECEIVERS.size();
    if (expected == 0) {
      return Future.succeededFuture(new Seen(List.of(), true));
    }
    AtomicInteger finished = new AtomicInteger();
    Mono<Seen> seen =
        events
            .filter(e -> taskId(e) >= 0 && committed.contains(paymentOf(e)))
            .takeUntil(e -> isFinal(e) && finished.incrementAndGet() == expected)
            .take(WAIT)
            .collectList()
            .map(list -> new Seen(list, finished.get() >= expected));
    return Future.fromCompletionStage(seen.toFuture());
  }

  private Future<ScenarioAccount> account(List<Played> played, Seen seen) {
    Future<List<Entry>> entries = Future.succeededFuture(new ArrayList<>());
    for (Played p : played) {
      entries =
          entries.compose(
              list ->
                  orders
                      .findOrder(pool, p.order().id())
                      .map(
                          now -> {
                            list.add(
                                new Entry(
                                    now,
                                    p.outcome(),
                                    p.reason(),
                                    p.outcome() == Outcome.SUCCEEDED
                                        ? results(now.paymentId(), seen.events())
                                        : List.of(),
                                    journal.anyRanFor(now.paymentId())));
                            return list;
                          }));
    }
    Future<List<DeadLetter>> deadLetters =
        Future.fromCompletionStage(
            herald
                .deadLetters()
                .list(OrdersApp.PAYMENT_COMPLETED, null, 0, 100)
                .map(t -> new DeadLetter(t, journal.paymentOf(t.id())))
                .collectList()
                .toFuture());
    return Future.all(entries, deadLetters)
        .map(
            all ->
                new ScenarioAccount(
                    all.<List<Entry>>resultAt(0),
                    all.<List<DeadLetter>>resultAt(1),
                    seen.complete()));
  }

  private List<ReceiverResult> results(long paymentId, List<HeraldEvent> events) {
    return RECEIVERS.stream()
        .map(
            receiver -> {
              List<HeraldEvent> mine =
                  events.stream()
                      .filter(e -> receiver.equals(e.receiver()) && paymentOf(e) == paymentId)
                      .toList();
              int retries =
                  (int) mine.stream().filter(e -> e instanceof HeraldEvent.Retried).count();
              for (HeraldEvent e : mine) {
                if (e instanceof HeraldEvent.Delivered d) {
                  return new ReceiverResult(receiver, State.DELIVERED, d.attempt(), retries);
                }
                if (e instanceof HeraldEvent.DeadLettered d) {
                  return new ReceiverResult(receiver, State.DEAD_LETTERED, d.attempt(), retries);
                }
              }
              return new ReceiverResult(receiver, State.PENDING, retries, retries);
            })
        .toList();
  }

  private long paymentOf(HeraldEvent e) {
    return journal.paymentOf(taskId(e)).orElse(-1);
  }

  private static boolean isFinal(HeraldEvent e) {
    return e instanceof HeraldEvent.Delivered || e instanceof HeraldEvent.DeadLettered;
  }

  private static long taskId(HeraldEvent e) {
    if (e instanceof HeraldEvent.Delivered d) {
      return d.taskId();
    }
    if (e instanceof HeraldEvent.Retried r) {
      return r.taskId();
    }
    if (e instanceof HeraldEvent.DeadLettered d) {
      return d.taskId();
    }
    if (e instanceof HeraldEvent.Released r) {
      return r.taskId();
    }
    return -1;
  }
}
