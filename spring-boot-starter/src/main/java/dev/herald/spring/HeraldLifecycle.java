package dev.herald.spring;

import dev.herald.Herald;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Herald when the context refreshes and closes it on shutdown, in a phase below the web
 * server's.
 *
 * <p>Lifecycles start in ascending phase order and stop in descending order. The web server starts
 * at {@code DEFAULT_PHASE - 2048} and its graceful shutdown runs at {@code DEFAULT_PHASE - 1024};
 * at {@value #PHASE_OFFSET} below the default phase, Herald's schema step has run and its
 * dispatcher is started before the server takes a request, and on shutdown Herald stops claiming
 * only after the server stopped taking requests and drained them. Beans (the connection pool among
 * them) are destroyed only after every lifecycle stopped, so the close never loses its pool.
 */
final class HeraldLifecycle implements SmartLifecycle {

  /** How far below {@link SmartLifecycle#DEFAULT_PHASE} Herald starts and stops. */
  static final int PHASE_OFFSET = 4096;

  private static final Logger log = LoggerFactory.getLogger(HeraldLifecycle.class);

  private final Herald herald;
  private final ReceiverConnector receivers;
  private final SchemaStep schema;
  private final Duration closeTimeout;
  private volatile boolean running;

  /**
   * @param herald the instance
   * @param receivers the connector, which must have connected every receiver
   * @param schema the schema step of {@code herald.schema.mode}
   * @param closeTimeout the longest {@link #stop()} waits for the close
   */
  HeraldLifecycle(
      Herald herald, ReceiverConnector receivers, SchemaStep schema, Duration closeTimeout) {
    this.herald = herald;
    this.receivers = receivers;
    this.schema = schema;
    this.closeTimeout = closeTimeout;
  }

  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - PHASE_OFFSET;
  }

  /**
   * Runs the schema step, then starts the dispatcher. Runs on the container's starting thread,
   * which may block (it is no reactive thread): startup must not go on, and the web server must not
   * take requests, before the schema is there.
   */
  @Override
  public void start() {
    if (!receivers.connected()) {
      throw new IllegalStateException("Herald cannot start before its receivers are connected");
    }
    schema.run();
    herald.start();
    running = true;
  }

  /** Closes Herald and waits for it, for callers that stop this lifecycle by hand. */
  @Override
  public void stop() {
    if (running) {
      running = false;
      herald.close().block(closeTimeout);
    }
  }

  /**
   * Closes Herald without blocking: running deliveries finish within {@code herald.shutdown-grace},
   * the tasks still held are released, and then the container goes on with its shutdown.
   */
  @Override
  public void stop(Runnable callback) {
    if (!running) {
      // Never started (its start failed): nothing is held, and the store may not even exist.
      callback.run();
      return;
    }
    running = false;
    herald
        .close()
        .subscribe(
            null,
            e -> {
              log.warn("Herald did not close cleanly", e);
              callback.run();
            },
            callback);
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
