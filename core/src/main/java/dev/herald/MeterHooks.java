package dev.herald;

import dev.herald.spi.ClaimedTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The counters and timers of {@link HeraldMetrics}, recorded from the engine's hooks. Loaded only
 * by {@link HeraldMetrics}: the engine knows it as an {@link EngineHooks}, so core runs without
 * Micrometer.
 */
final class MeterHooks implements EngineHooks {

  private final MeterRegistry registry;
  private final Tags common;

  MeterHooks(MeterRegistry registry, Tags common) {
    this.registry = registry;
    this.common = common;
  }

  @Override
  public void sent(String signal, long tasks) {
    if (tasks > 0) {
      Counter.builder("herald.tasks.sent")
          .description("Tasks written by sends whose transaction committed")
          .tags(common)
          .tags("signal", signal, "messaging.operation.name", "send")
          .register(registry)
          .increment(tasks);
    }
  }

  @Override
  public void attemptStarted(ClaimedTask task) {
    // First attempts only: a retry's wait is its backoff, which would swamp the queueing delay.
    if (task.attempt() == 1 && task.createdAt() != null) {
      Duration waited = Duration.between(task.createdAt(), Instant.now());
      Timer.builder("herald.task.start.latency")
          .description(
              "From a task's creation (its sending transaction's start, on the database clock) to"
                  + " the start of its first attempt")
          .tags(pair(task))
          .register(registry)
          .record(waited.isNegative() ? Duration.ZERO : waited);
    }
  }

  @Override
  public void attemptEnded(ClaimedTask task, long nanos, Throwable error) {
    String outcome =
        error == null ? "success" : error instanceof TimeoutException ? "timeout" : "failure";
    Timer.builder("herald.receiver.duration")
        .description("How long receivers ran, by outcome")
        .tags(pair(task))
        .tags("outcome", outcome, "messaging.operation.name", "process")
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void recorded(ClaimedTask task, Outcome outcome) {
    String name;
    String description;
    if (outcome instanceof Outcome.Succeeded) {
      name = "herald.tasks.delivered";
      description = "Tasks whose receiver succeeded, recorded (deleted or kept)";
    } else if (outcome instanceof Outcome.RetryLater) {
      name = "herald.tasks.retried";
      description = "Failed attempts recorded with a retry later";
    } else if (outcome instanceof Outcome.DeadLetter) {
      name = "herald.tasks.dead.lettered";
      description = "Tasks moved to the dead letters";
    } else {
      name = "herald.tasks.released";
      description = "Claimed tasks given back (breaker open, shutdown)";
    }
    count(name, description, task);
  }

  @Override
  public void leaseLost(ClaimedTask task) {
    count("herald.leases.lost", "Tasks whose lease this node lost: outcome not recorded", task);
  }

  private void count(String name, String description, ClaimedTask task) {
    Counter.builder(name).description(description).tags(pair(task)).register(registry).increment();
  }

  private Tags pair(ClaimedTask task) {
    return common.and("signal", task.signal(), "receiver", task.receiver());
  }
}
