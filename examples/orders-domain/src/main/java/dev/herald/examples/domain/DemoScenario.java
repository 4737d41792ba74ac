package dev.herald.examples.domain;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.examples.domain.ScenarioAccount.DeadLetter;
import dev.herald.examples.domain.ScenarioAccount.Entry;
import dev.herald.examples.domain.ScenarioAccount.Outcome;
import dev.herald.examples.domain.ScenarioAccount.ReceiverResult;
import dev.herald.examples.domain.ScenarioAccount.State;
import java.time.Duration;
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
 *
 * <p>The account reflects the guarantee: a receiver ran for a payment if and only if its
 * transaction committed. Its expectations on ids (every third receipt fails once) hold when nothing
 * else creates orders while it plays. Both demos play this one story; only {@link Payments}
 * differs.
 */
public final class DemoScenario {

  /** How long the scenario waits for the receivers. */
  private static final Duration WAIT = Duration.ofSeconds(15);

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

  private static final List<String> RECEIVERS =
      List.of(PaymentCompleted.COMPLETE_ORDER, PaymentCompleted.SEND_RECEIPT);

  private final Payments payments;
  private final Herald herald;
  private final DeliveryJournal journal;

  /**
   * Creates the scenario.
   *
   * @param payments the demo's orders and payments
   * @param herald the Herald instance, started, with {@code payment.completed} connected
   * @param journal the journal that records the signal's receivers
   */
  public DemoScenario(Payments payments, Herald herald, DeliveryJournal journal) {
    this.payments = payments;
    this.herald = herald;
    this.journal = journal;
  }

  /**
   * Plays the scenario. Nothing happens until subscribed; each subscription plays it again, with
   * six new orders.
   *
   * @return the account, once every committed task was delivered or dead-lettered, or after 15 s
   *     ({@link ScenarioAccount#complete()} is then false); fails if an order cannot be created or
   *     a payment completed for another reason than the fraud check
   */
  public Mono<ScenarioAccount> play() {
    return Mono.defer(
        () -> {
          // Events are hot: record them from before the first send, for the late subscriber that
          // waits for the receivers, and stop recording when the account is taken.
          AtomicReference<Disposable> recording = new AtomicReference<>();
          Flux<HeraldEvent> events =
              herald
                  .events()
                  .filter(e -> PaymentCompleted.SIGNAL.equals(e.signal()))
                  .replay()
                  .autoConnect(0, recording::set);
          return Flux.fromIterable(STEPS)
              .concatMap(this::play)
              .collectList()
              .flatMap(
                  played -> awaitReceivers(played, events).flatMap(seen -> account(played, seen)))
              .doFinally(s -> recording.get().dispose());
        });
  }

  private Mono<Played> play(Step step) {
    return payments
        .createOrder(step.amountCents())
        .flatMap(
            order ->
                payments
                    .complete(order.paymentId(), step.succeeded())
                    .map(
                        p ->
                            new Played(
                                order,
                                step.succeeded() ? Outcome.SUCCEEDED : Outcome.DECLINED,
                                null))
                    .onErrorResume(
                        FraudCheck.FraudSuspectedException.class,
                        e -> Mono.just(new Played(order, Outcome.ROLLED_BACK, "fraud check"))));
  }

  /** The events of the committed payments' tasks, up to the last delivery or dead letter. */
  private Mono<Seen> awaitReceivers(List<Played> played, Flux<HeraldEvent> events) {
    Set<Long> committed =
        played.stream()
            .filter(p -> p.outcome() == Outcome.SUCCEEDED)
            .map(p -> p.order().paymentId())
            .collect(Collectors.toSet());
    int expected = committed.size() * RECEIVERS.size();
    if (expected == 0) {
      return Mono.just(new Seen(List.of(), true));
    }
    return Mono.defer(
        () -> {
          AtomicInteger finished = new AtomicInteger();
          return events
              .filter(e -> taskId(e) >= 0 && committed.contains(paymentOf(e)))
              .takeUntil(e -> isFinal(e) && finished.incrementAndGet() == expected)
              .take(WAIT)
              .collectList()
              .map(list -> new Seen(list, finished.get() >= expected));
        });
  }

  private Mono<ScenarioAccount> account(List<Played> played, Seen seen) {
    Mono<List<Entry>> entries =
        Flux.fromIterable(played)
            .concatMap(
                p ->
                    payments
                        .findOrder(p.order().id())
                        .map(
                            now ->
                                new Entry(
                                    now,
                                    p.outcome(),
                                    p.reason(),
                                    p.outcome() == Outcome.SUCCEEDED
                                        ? results(now.paymentId(), seen.events())
                                        : List.of(),
                                    journal.anyRanFor(now.paymentId()))))
            .collectList();
    Mono<List<DeadLetter>> deadLetters =
        herald
            .deadLetters()
            .list(PaymentCompleted.SIGNAL, null, 0, 100)
            .map(t -> new DeadLetter(t, journal.paymentOf(t.id())))
            .collectList();
    return Mono.zip(entries, deadLetters)
        .map(t -> new ScenarioAccount(t.getT1(), t.getT2(), seen.complete()));
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
