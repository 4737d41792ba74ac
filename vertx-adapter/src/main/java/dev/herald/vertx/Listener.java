package dev.herald.vertx;

import dev.herald.spi.SqlDriver;
import dev.herald.spi.Wakeup;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgChannel;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One listening session ({@link dev.herald.spi.SqlDriver#listen}) on a {@link PgSubscriber}: one
 * dedicated connection per subscription to {@link #session()}.
 *
 * <p>PgSubscriber's own reconnect policy covers a connection the server or the network closed; its
 * default gives up at once, so an explicit one is set. A failed first connect is not retried by
 * PgSubscriber (and a second {@code connect()} on it would never complete), and a connection that
 * stopped answering is never closed (see {@link #heartbeat}): both fail the session, and the store
 * starts a new one with backoff.
 */
final class Listener {

  private static final Logger log = LoggerFactory.getLogger(Listener.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String channel;
  private final Duration heartbeat;

  Listener(Vertx vertx, PgConnectOptions options, String channel, Duration heartbeat) {
    this.vertx = vertx;
    this.options = options;
    this.channel = channel;
    this.heartbeat = heartbeat;
  }

  Flux<Wakeup> session() {
    return Flux.create(this::listen, FluxSink.OverflowStrategy.LATEST);
  }

  private void listen(FluxSink<Wakeup> sink) {
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean listenedBefore = new AtomicBoolean();
    PgSubscriber subscriber =
        PgSubscriber.subscriber(vertx, options)
            .reconnectPolicy(
                attempt -> {
                  if (done.get()) {
                    return -1L;
                  }
                  if (attempt == 0) {
                    // PgSubscriber reconnects by itself, without failing the stream: say it here.
                    sink.next(Wakeup.LOST);
                  }
                  return reconnectDelay(attempt);
                });
    // PgSubscriber quotes the name (LISTEN "herald_x"); TableName.channel() is lower-case, so it is
    // the very channel that senders' unquoted pg_notify('herald_x', '') reaches.
    PgChannel ch = subscriber.channel(channel);
    // Fires after the first LISTEN and again after every reconnect: notifications may have been
    // missed in between, so the dispatcher claims once to catch up.
    ch.subscribeHandler(
        v -> {
          PgConnection conn = subscriber.actualConnection();
          if (done.get()) {
            // A reconnect that was under way when the stream was cancelled: close what it opened.
            if (conn != null) {
              conn.close();
            }
            return;
          }
          if (conn != null) {
            // Without a handler Vert.x prints the stack trace of a dropped connection to stderr;
            // the reconnect policy reports the loss already.
            conn.exceptionHandler(
                e ->
                    log.debug(
                        "Herald listener connection on {} failed: {}", channel, e.toString()));
          }
          if (listenedBefore.getAndSet(true)) {
            log.info("Herald listener on {} reconnected", channel);
          }
          sink.next(Wakeup.LISTENING);
        });
    ch.handler(payload -> sink.next(Wakeup.NOTIFIED));
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> heartbeat(subscriber, sink, done));
    sink.onDispose(
        () -> {
          done.set(true);
          vertx.cancelTimer(timer);
          subscriber.close();
        });
    subscriber
        .connect()
        .onFailure(
            e -> {
              if (!done.get()) {
                sink.error(e);
              }
            });
  }

  private long reconnectDelay(int attempt) {
    if (attempt == 0) {
      log.warn("Herald listener on {} lost its connection; reconnecting", channel);
    }
    long delay = SqlDriver.LISTEN_FIRST_RETRY.toMillis() << Math.min(attempt, 16);
    return Math.min(delay, SqlDriver.LISTEN_MAX_RETRY.toMillis());
  }

  // A half-open connection (the server's host died or hangs) raises nothing until TCP keepalive
  // gives up, so a periodic query checks it. Closing it would not help: Vert.x closes a PostgreSQL
  // connection gracefully (Terminate, then waits for the server to hang up), which never completes
  // against a stalled server, and PgSubscriber reconnects only once the close completed. Failing
  // the stream instead makes retryWhen start over with a new subscriber and a new connection; the
  // old one is closed in the background (done is set first, so it never reconnects).
  private void heartbeat(PgSubscriber subscriber, FluxSink<Wakeup> sink, AtomicBoolean done) {
    PgConnection conn = subscriber.actualConnection();
    if (conn == null) {
      return;
    }
    conn.query("SELECT 1")
        .execute()
        .timeout(heartbeat.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(
            e -> {
              if (!done.get()) {
                sink.error(new IllegalStateException("heartbeat failed: " + e, e));
              }
            });
  }
}
