package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.Signal;
import dev.herald.examples.domain.PaymentCompleted;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Creates the schema and starts Herald before the web server takes requests; on shutdown, closes
 * Herald gracefully after the web server stopped and before the connection pool is disposed (beans
 * are destroyed only after every lifecycle has stopped).
 */
@Component
class HeraldLifecycle implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HeraldLifecycle.class);
  private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private final Herald herald;
  private final OrderRepository orders;
  private volatile Disposable eventLog = Disposables.disposed();
  private volatile boolean running;

  /**
   * Creates the lifecycle.
   *
   * @param herald the instance
   * @param orders the repository, for the application's tables
   * @param paymentCompleted the signal, injected so that its receivers are connected before start
   */
  HeraldLifecycle(
      Herald herald, OrderRepository orders, Signal<PaymentCompleted> paymentCompleted) {
    this.herald = herald;
    this.orders = orders;
  }

  /**
   * Before the web server, which starts at {@code DEFAULT_PHASE - 2048} and stops (after its
   * graceful shutdown) before this.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }

  /**
   * Creates the tables and starts the dispatcher; runs on the starting thread, not a reactive one.
   */
  @Override
  public void start() {
    // Herald's installSchema() reads its SQL script from the classpath when subscribed: subscribe
    // it here, on the starting thread, not after a database call on an event loop thread.
    herald.installSchema().then(orders.createSchema()).block(SCHEMA_TIMEOUT);
    eventLog = herald.events().subscribe(HeraldLifecycle::logNotable);
    herald.start();
    running = true;
    log.info("Herald started as node {}", herald.nodeId());
  }

  /** Closes Herald and waits for it; the container calls {@link #stop(Runnable)} instead. */
  @Override
  public void stop() {
    running = false;
    herald.close().block(CLOSE_TIMEOUT);
    eventLog.dispose();
  }

  /**
   * Closes Herald without blocking: running deliveries finish within the shutdown grace, the tasks
   * still held are released, then the container goes on with shutdown.
   */
  @Override
  public void stop(Runnable callback) {
    running = false;
    herald
        .close()
        .timeout(CLOSE_TIMEOUT)
        .doOnSuccess(v -> log.info("Herald closed"))
        .doOnError(e -> log.warn("Herald did not close cleanly", e))
        .doFinally(
            s -> {
              eventLog.dispose();
              callback.run();
            })
        .subscribe(null, e -> {});
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Logs what an operator would want to see: dead letters and circuit breaker transitions. */
  private static void logNotable(HeraldEvent event) {
    if (event instanceof HeraldEvent.DeadLettered d) {
      log.warn(
          "Task {} of {} -> {} dead-lettered after {} attempts: {}",
          d.taskId(),
          d.signal(),
          d.receiver(),
          d.attempt(),
          d.reason());
    } else if (event instanceof HeraldEvent.BreakerStateChanged b) {
      log.warn("Circuit breaker of {} -> {}: {} -> {}", b.signal(), b.receiver(), b.from(), b.to());
    }
  }
}
