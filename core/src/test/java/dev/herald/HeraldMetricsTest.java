package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.testing.InMemoryTaskStore;
import dev.herald.testkit.KitStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** HeraldMetrics over the in-memory store: what each meter counts, and the gauges' period. */
class HeraldMetricsTest {

  record Paid(long orderId) {}

  private static final String SIGNAL = "payment.completed";

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Herald herald;

  @AfterEach
  void close() {
    if (herald != null) {
      herald.close().block(Duration.ofSeconds(30));
    }
  }

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
  }

  private double count(String name, String receiver) {
    Counter c = registry.find(name).tags("signal", SIGNAL, "receiver", receiver).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name, String receiver) {
    Gauge g = registry.find(name).tags("signal", SIGNAL, "receiver", receiver).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private Herald herald(InMemoryTaskStore store, HeraldOptions.Builder options) {
    herald =
        Herald.builder(store).options(options.pollInterval(Duration.ofMillis(100)).build()).build();
    return herald;
  }

  @Test
  void countsSendsOutcomesAndDurationsAndGaugesTheStatsOfEachPeriod() {
    InMemoryTaskStore store = InMemoryTaskStore.create();
    Herald herald = herald(store, HeraldOptions.builder());
    Signal<Paid> paid = herald.signal(SIGNAL, Paid.class);
    AtomicInteger flaky = new AtomicInteger();
    RetryPolicy fast =
        RetryPolicy.builder()
            .maxAttempts(3)
            .initialDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(10))
            .jitter(false)
            .build();
    paid.connect("ok", d -> Mono.empty());
    paid.connect(
        "flaky",
        ReceiverOptions.builder().retryPolicy(fast).build(),
        d ->
            flaky.incrementAndGet() % 2 == 1
                ? Mono.error(new IllegalStateException("down"))
                : Mono.empty());
    paid.connect(
        "doomed",
        ReceiverOptions.builder().retryPolicy(RetryPolicy.noRetry()).build(),
        d -> Mono.error(new IllegalStateException("gone")));
    HeraldMetrics.builder(herald)
        .statsPeriod(Duration.ofMillis(100))
        .tags(Tags.of("app", "shop"))
        .build()
        .bindTo(registry);
    // A second binder of the same Herald records everything too.
    MeterRegistry second = new SimpleMeterRegistry();
    HeraldMetrics.of(herald).bindTo(second);
    herald.start();

    store
        .inTransaction(Flux.range(1, 2).concatMap(i -> paid.sendReliable(new Paid(i))).then())
        .block(Duration.ofSeconds(10));
    // A rolled-back send counts nothing.
    store
        .inTransaction(paid.sendReliable(new Paid(3)).then(Mono.error(new IllegalStateException())))
        .onErrorResume(IllegalStateException.class, e -> Mono.empty())
        .block(Duration.ofSeconds(10));

    eventually()
        .untilAsserted(
            () -> {
              assertThat(count("herald.tasks.delivered", "ok")).isEqualTo(2);
              assertThat(count("herald.tasks.delivered", "flaky")).isEqualTo(2);
              assertThat(count("herald.tasks.retried", "flaky")).isEqualTo(2);
              assertThat(count("herald.tasks.dead.lettered", "doomed")).isEqualTo(2);
            });
    assertThat(second.get("herald.tasks.delivered").tags("receiver", "ok").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("herald.tasks.sent").tags("signal", SIGNAL).counter().count())
        .as("three receivers, two committed sends")
        .isEqualTo(6);
    assertThat(registry.get("herald.tasks.sent").counter().getId().getTag("messaging.system"))
        .isEqualTo("herald");
    assertThat(registry.get("herald.tasks.sent").counter().getId().getTag("app")).isEqualTo("shop");
    assertThat(count("herald.tasks.released", "ok") + count("herald.leases.lost", "ok")).isZero();
    Timer okRuns =
        registry
            .get("herald.receiver.duration")
            .tags("receiver", "ok", "outcome", "success")
            .timer();
    assertThat(okRuns.count()).isEqualTo(2);
    assertThat(
            registry
                .get("herald.receiver.duration")
                .tags("receiver", "flaky", "outcome", "failure")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("herald.task.start.latency").tags("receiver", "flaky").timer().count())
        .as("first attempts only")
        .isEqualTo(2);

    eventually()
        .untilAsserted(
            () -> {
              assertThat(gauge("herald.tasks.dead", "doomed")).isEqualTo(2);
              assertThat(gauge("herald.tasks.ready", "ok")).isZero();
              assertThat(gauge("herald.tasks.running", "ok")).isZero();
              assertThat(gauge("herald.tasks.scheduled", "ok")).isZero();
              assertThat(gauge("herald.tasks.held", "ok")).isZero();
              assertThat(gauge("herald.tasks.ready.oldest.age", "ok")).isZero();
            });
    assertThat(
            registry
                .get("herald.breaker.state")
                .tags("receiver", "ok", "state", "closed")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("herald.breaker.state")
                .tags("receiver", "ok", "state", "open")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void countsReleasedTasksAndLostLeases() {
    VirtualTimeScheduler storeClock = VirtualTimeScheduler.create();
    InMemoryTaskStore store = InMemoryTaskStore.create(storeClock);
    Herald herald =
        herald(
            store,
            HeraldOptions.builder()
                .lease(Duration.ofSeconds(3))
                .shutdownGrace(Duration.ofMillis(200)));
    Signal<Paid> paid = herald.signal(SIGNAL, Paid.class);
    paid.connect("hangs", d -> Mono.never());
    paid.connect("stolen", d -> Mono.never());
    HeraldMetrics.of(herald).bindTo(registry);
    herald.start();
    store.inTransaction(paid.sendReliable(new Paid(1))).block(Duration.ofSeconds(10));
    eventually().until(() -> store.leasedBy(herald.nodeId()) == 2);

    // The store's clock jumps past every lease: another node claims one task, and this node's next
    // lease extension finds it gone.
    storeClock.advanceTimeBy(Duration.ofHours(1));
    assertThat(
            KitStore.operations(store)
                .taskClaimBatch(
                    new TaskClaimBatchParams(
                        "thief", Duration.ofHours(2), List.of(new ClaimWant(SIGNAL, "stolen", 1))))
                .collectList()
                .block(Duration.ofSeconds(10)))
        .hasSize(1);
    eventually().until(() -> count("herald.leases.lost", "stolen") == 1);

    herald.close().block(Duration.ofSeconds(10));
    assertThat(count("herald.tasks.released", "hangs")).isEqualTo(1);
    assertThat(count("herald.tasks.released", "stolen")).as("not this node's any more").isZero();
  }

  @Test
  void optionsAreValidated() {
    Herald h = Herald.builder(InMemoryTaskStore.create()).build();
    assertThatThrownBy(() -> HeraldMetrics.builder(h).statsPeriod(Duration.ZERO))
        .hasMessage("statsPeriod must be positive, but was PT0S");
    assertThatThrownBy(() -> HeraldMetrics.builder(h).statsCap(0))
        .hasMessage("statsCap must be at least 1, but was 0");
  }
}
