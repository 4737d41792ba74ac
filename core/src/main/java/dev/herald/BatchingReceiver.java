package dev.herald;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Turns the dispatcher's one-task deliveries into {@link BatchReceiver} calls. Deliveries that
 * start together join one open batch: the dispatcher starts what is ready in one pass (each start
 * reaches {@link #receive} before it returns), then calls {@link #flush()}. A batch is also sent
 * when it is full, and a millisecond after its first delivery arrived when no pass flushes it
 * (immediate mode starts deliveries one by one). Nothing waits for a call to end before it is sent:
 * the dispatcher's per-task concurrency already bounds the work, and a delivery that waited would
 * spend its attempt's time limit. Each delivery completes with its own task's outcome, so retries,
 * breakers, timeouts and outcome writes stay per task. A delivery cancelled before its batch was
 * sent (a timeout, a shutdown) leaves the batch.
 */
final class BatchingReceiver<T> implements Receiver<T> {

  private record Pending<T>(Delivery<T> delivery, Sinks.One<Void> done) {}

  private final BatchReceiver<T> target;
  private final int maxBatch;
  private final Scheduler scheduler;

  // Guarded by this.
  private List<Pending<T>> open = new ArrayList<>();
  private boolean flushScheduled;

  BatchingReceiver(BatchReceiver<T> target, int maxBatch, Scheduler scheduler) {
    this.target = target;
    this.maxBatch = maxBatch;
    this.scheduler = scheduler;
  }

  @Override
  public Mono<Void> receive(Delivery<T> delivery) {
    return Mono.defer(
        () -> {
          Pending<T> p = new Pending<>(delivery, Sinks.one());
          add(p);
          return p.done().asMono().doOnCancel(() -> leave(p));
        });
  }

  private void add(Pending<T> p) {
    List<Pending<T>> full = null;
    boolean schedule = false;
    synchronized (this) {
      open.add(p);
      if (open.size() >= maxBatch) {
        full = take();
      } else if (!flushScheduled) {
        flushScheduled = true;
        schedule = true;
      }
    }
    if (full != null) {
      send(full);
    }
    if (schedule) {
      scheduler.schedule(this::flush, 1, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void leave(Pending<T> p) {
    open.remove(p);
  }

  /** Sends what is open, in batches of at most the batch size. */
  void flush() {
    synchronized (this) {
      flushScheduled = false;
    }
    while (true) {
      List<Pending<T>> batch;
      synchronized (this) {
        if (open.isEmpty()) {
          return;
        }
        batch = take();
      }
      send(batch);
    }
  }

  // Guarded by this: up to maxBatch of the open deliveries, oldest first, as one call.
  private List<Pending<T>> take() {
    List<Pending<T>> batch;
    if (open.size() <= maxBatch) {
      batch = open;
      open = new ArrayList<>();
    } else {
      batch = new ArrayList<>(open.subList(0, maxBatch));
      open = new ArrayList<>(open.subList(maxBatch, open.size()));
    }
    return batch;
  }

  private void send(List<Pending<T>> batch) {
    List<Delivery<T>> deliveries = new ArrayList<>(batch.size());
    for (Pending<T> p : batch) {
      deliveries.add(p.delivery());
    }
    Mono.defer(() -> target.receive(List.copyOf(deliveries)))
        .defaultIfEmpty(BatchResult.allSucceeded())
        .subscribe(
            result -> {
              for (Pending<T> p : batch) {
                Throwable failure = result.failureOf(p.delivery().taskId()).orElse(null);
                if (failure == null) {
                  p.done().tryEmitEmpty();
                } else {
                  p.done().tryEmitError(failure);
                }
              }
            },
            e -> {
              for (Pending<T> p : batch) {
                p.done().tryEmitError(e);
              }
            });
  }
}
