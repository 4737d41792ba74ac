package dev.herald.internal;

import dev.herald.HeraldOptions;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Acknowledges delivered tasks in batches: one fenced DELETE per batch of up to {@code
 * completionBatch} tasks or {@code completionDelay}, whichever comes first. A batch that cannot be
 * written after a few tries is left to lease expiry: its tasks run again (at least once).
 */
final class Completer {

  private static final Logger log = LoggerFactory.getLogger(Completer.class);

  private record Done(ClaimedTask task, Duration took) {}

  private final Sinks.Many<Done> sink = Sinks.many().unicast().onBackpressureBuffer();
  private final Mono<Void> finished;
  private final Disposable subscription;

  Completer(
      TaskStore store,
      String owner,
      HeraldOptions options,
      Scheduler scheduler,
      BiConsumer<ClaimedTask, Duration> onCompleted,
      Consumer<ClaimedTask> onAbandoned) {
    // fairBackpressure: without it bufferTimeout overflows when the DELETE is slower than acks.
    this.finished =
        sink.asFlux()
            .bufferTimeout(options.completionBatch(), options.completionDelay(), scheduler, true)
            .concatMap(batch -> complete(store, owner, batch, onCompleted, onAbandoned))
            .then()
            .cache();
    this.subscription = finished.subscribe();
  }

  private static Mono<Void> complete(
      TaskStore store,
      String owner,
      List<Done> batch,
      BiConsumer<ClaimedTask, Duration> onCompleted,
      Consumer<ClaimedTask> onAbandoned) {
    List<ClaimedTask> tasks = batch.stream().map(Done::task).toList();
    return store
        .taskCompleteMany(Engine.tokens(owner, tasks))
        .retryWhen(Retry.backoff(3, Duration.ofMillis(100)))
        .doOnSuccess(n -> batch.forEach(d -> onCompleted.accept(d.task(), d.took())))
        .onErrorResume(
            e -> {
              log.warn(
                  "Herald could not acknowledge {} delivered tasks; they will run again",
                  batch.size(),
                  e);
              tasks.forEach(onAbandoned);
              return Mono.empty();
            })
        .then();
  }

  /** Queues a delivered task; thread-safe. */
  synchronized void add(ClaimedTask task, Duration took) {
    sink.tryEmitNext(new Done(task, took));
  }

  /** Drops what is queued without writing it: the crash-test path. */
  void kill() {
    subscription.dispose();
  }

  /** Flushes what is queued; completes when the last batch is written. */
  Mono<Void> close() {
    synchronized (this) {
      sink.tryEmitComplete();
    }
    return finished;
  }
}
