package dev.herald;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The gauges of {@link HeraldMetrics}: one {@link Herald#stats(int)} query per period (never one
 * per scrape), whose latest answer the gauges read, plus this node's live holdings and breaker
 * states. A pair's gauges are registered the first time a query answers it. Loaded only by {@link
 * HeraldMetrics}.
 */
final class StatsGauges {

  private static final Logger log = LoggerFactory.getLogger(StatsGauges.class);

  private record Pair(String signal, String receiver) {}

  private final Herald herald;
  private final MeterRegistry registry;
  private final Tags common;
  private final int cap;
  private final Map<Pair, ReceiverStats> latest = new ConcurrentHashMap<>();
  private final Set<Pair> registered = ConcurrentHashMap.newKeySet();
  private volatile boolean failing;

  StatsGauges(Herald herald, MeterRegistry registry, Tags common, int cap) {
    this.herald = herald;
    this.registry = registry;
    this.common = common;
    this.cap = cap;
  }

  /** Queries now and then every {@code period}; queries never overlap, a late tick is dropped. */
  Disposable start(Duration period, Scheduler scheduler) {
    return Flux.interval(Duration.ZERO, period, scheduler)
        .onBackpressureDrop()
        .concatMap(
            t -> herald.stats(cap).collectList().doOnNext(this::update).onErrorResume(this::failed))
        .subscribe();
  }

  private Mono<List<ReceiverStats>> failed(Throwable e) {
    // Once per outage: a schema not yet installed or a database down would log every period.
    if (!failing) {
      failing = true;
      log.warn(
          "Herald metrics could not read receiver statistics; gauges keep their last values: {}",
          e.toString());
    }
    return Mono.empty();
  }

  private void update(List<ReceiverStats> all) {
    failing = false;
    for (ReceiverStats s : all) {
      Pair p = new Pair(s.signal(), s.receiver());
      latest.put(p, s);
      if (registered.add(p)) {
        register(p, s.connected());
      }
    }
  }

  private void register(Pair p, boolean connected) {
    Tags tags = common.and("signal", p.signal(), "receiver", p.receiver());
    gauge(
        "herald.tasks.ready",
        "Due tasks not leased (at most the stats cap)",
        tags,
        p,
        ReceiverStats::ready);
    gauge(
        "herald.tasks.running",
        "Leased tasks, fleet-wide (at most the stats cap)",
        tags,
        p,
        ReceiverStats::running);
    gauge(
        "herald.tasks.scheduled",
        "Tasks not yet due: delayed sends and retries (at most the stats cap)",
        tags,
        p,
        ReceiverStats::scheduled);
    gauge(
        "herald.tasks.dead",
        "Dead-lettered tasks (at most the stats cap)",
        tags,
        p,
        ReceiverStats::dead);
    TimeGauge.builder(
            "herald.tasks.ready.oldest.age",
            latest,
            TimeUnit.SECONDS,
            m -> value(m, p, s -> s.oldestReady().toNanos() / 1e9))
        .description("How long the oldest ready task has been due (0 when none)")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    if (!connected) {
      return;
    }
    // This node's own, read live at each scrape.
    StatsQuery live = herald.engine().statsQuery();
    Gauge.builder("herald.tasks.held", live, q -> q.held(p.signal(), p.receiver()))
        .description("Tasks this node holds, from their claim until their outcome is recorded")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    if (live.breaker(p.signal(), p.receiver()) == null) {
      return;
    }
    for (BreakerState state : BreakerState.values()) {
      Gauge.builder(
              "herald.breaker.state",
              live,
              q -> q.breaker(p.signal(), p.receiver()) == state ? 1 : 0)
          .description("1 for the state this node's circuit breaker of the receiver is in, else 0")
          .tags(tags.and("state", state.name().toLowerCase(java.util.Locale.ROOT)))
          .strongReference(true)
          .register(registry);
    }
  }

  private void gauge(
      String name, String description, Tags tags, Pair p, ToDoubleFunction<ReceiverStats> f) {
    Gauge.builder(name, latest, m -> value(m, p, f))
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private static double value(
      Map<Pair, ReceiverStats> m, Pair p, ToDoubleFunction<ReceiverStats> f) {
    ReceiverStats s = m.get(p);
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }
}
