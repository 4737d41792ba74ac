package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.examples.orders.ScenarioAccount.DeadLetter;
import dev.herald.examples.orders.ScenarioAccount.Entry;
import dev.herald.examples.orders.ScenarioAccount.Outcome;
import dev.herald.examples.orders.ScenarioAccount.ReceiverResult;
import dev.herald.examples.orders.ScenarioAccount.State;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Plays the demo once the application is ready: creates six orders, completes their payments (one
 * pays the receipt's poison amount, one is rolled back by the fraud check, one is declined), waits
 * for Herald's events until every committed task was delivered or dead-lettered, and prints an
 * account. Disable it with {@code herald.demo.scenario=false}.
 */
@Component
@ConditionalOnProperty(name = "herald.demo.scenario", havingValue = "true", matchIfMissing = true)
public class DemoScenario {

  /** How long the scenario waits for the receivers. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  /** One order of the scenario: its amount, and whether its payment succeeds. */
  private record Step(long amountCents, boolean succeeded) {}

  /** A step after its payment's transaction ended. */
  private record Played(Order order, Outcome outcome, String reason) {}

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

  private static final Logger log = LoggerFactory.getLogger(DemoScenario.class);

  private final PaymentService payments;
  private final OrderRepository orders;
  private final Herald herald;
  private final DeliveryJournal journal;
  private final Sinks.One<ScenarioAccount> account = Sinks.one();

  /**
   * Creates the scenario.
   *
   * @param payments the payment service
   * @param orders the repository
   * @param herald the Herald instance
   * @param journal which payment each task carried
   */
  public DemoScenario(
      PaymentService payments, OrderRepository orders, Herald herald, DeliveryJournal journal) {
    this.payments = payments;
    this.orders = orders;
    this.herald = herald;
    this.journal = journal;
  }

  /**
   * Plays the scenario in the background and prints its account.
   *
   * @param event the application's readiness
   */
  @EventListener
  public void onReady(ApplicationReadyEvent event) {
    int port =
        event
            .getApplicationContext()
            .getEnvironment()
            .getProperty("local.server.port", Integer.class, 8080);
    play()
        .publishOn(Schedulers.boundedElastic())
        .doOnNext(a -> System.out.print(a.render(port)))
        .subscribe(
            account::tryEmitValue,
            e -> {
              log.error("The demo scenario failed", e);
              account.tryEmitError(e);
            });
  }

  /**
   * The account, once the scenario has finished.
   *
   * @return the account (replayed to every subscriber)
   */
  public Mono<ScenarioAccount> account() {
    return account.asMono();
  }

  private Mono<ScenarioAccount> play() {
    return Mono.defer(
        () -> {
          // Events are hot: record them from before the first send, for the late subscriber that
          // waits for the receivers, and stop recording when the account is taken.
          AtomicReference<Disposable> recording = new AtomicReference<>();
          Flux<HeraldEvent> events =
              herald
                  .events()
                  .filter(e -> HeraldConfiguration.PAYMENT_COMPLETED.equals(e.signal()))
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

  /** The events observed for the scenario's tasks, and whether every task finished. */
  private record Seen(List<HeraldEvent> events, boolean complete) {}

  private Mono<ScenarioAccount> account(List<Played> played, Seen seen) {
    Mono<List<Entry>> entries =
        Flux.fromIterable(played)
            .concatMap(
                p ->
                    orders
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
            .list(HeraldConfiguration.PAYMENT_COMPLETED, null, 0, 100)
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
