package dev.herald.examples.vertx;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.HeraldMetrics;
import dev.herald.HeraldOptions;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import dev.herald.examples.domain.DeliveryJournal;
import dev.herald.examples.domain.DemoDatabase;
import dev.herald.examples.domain.DemoScenario;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.examples.domain.ReceiptSender;
import dev.herald.examples.domain.ScenarioAccount;
import dev.herald.vertx.VertxReceivers;
import dev.herald.vertx.VertxTaskStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The Herald Vert.x demo: orders, payments, and a {@code payment.completed} signal whose receivers
 * complete the order and send a receipt if and only if the payment's transaction commits.
 *
 * <p>Runs on an embedded PostgreSQL unless {@code HERALD_DATABASE_URL} names a server, serves the
 * HTTP API, plays the shared scenario ({@link DemoScenario}) and prints its account. Arguments:
 * {@code --port=8080} ({@code 0} for any free port), {@code --scenario=false} to skip the scenario.
 */
public final class OrdersApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrdersApp.class);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN = Duration.ofSeconds(15);

  private final DemoDatabase db;
  private final Vertx vertx;
  private final Pool pool;
  private final Herald herald;
  private final DemoScenario scenario;
  private final Disposable eventLog;
  private final HttpServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OrdersApp(
      DemoDatabase db,
      Vertx vertx,
      Pool pool,
      Herald herald,
      DemoScenario scenario,
      Disposable eventLog,
      HttpServer server) {
    this.db = db;
    this.vertx = vertx;
    this.pool = pool;
    this.herald = herald;
    this.scenario = scenario;
    this.eventLog = eventLog;
    this.server = server;
  }

  /**
   * Starts the demo: the database, Vert.x, the pool, Herald (schema, receivers, dispatcher) and the
   * HTTP server. Blocks until all are up, so call it from a plain thread such as {@code main}.
   *
   * @param port the HTTP port, 0 for any free one
   * @param databaseUrl {@code postgresql://user[:password]@host[:port]/db}, or blank for an
   *     embedded PostgreSQL
   * @return the running application
   */
  public static OrdersApp start(int port, String databaseUrl) {
    DemoDatabase db =
        databaseUrl == null || databaseUrl.isBlank()
            ? DemoDatabase.startEmbedded()
            : DemoDatabase.fromUrl(databaseUrl);
    log.info("Using PostgreSQL at {}", db.describe());
    Vertx vertx = Vertx.vertx();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(db.host())
            .setPort(db.port())
            .setUser(db.user())
            .setDatabase(db.database())
            .setCachePreparedStatements(true)
            .addProperty("application_name", "herald-example-vertx-orders");
    if (db.password() != null) {
      connect.setPassword(db.password());
    }
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(10))
            .connectingTo(connect)
            .using(vertx)
            .build();

    // The store runs Herald's statements on the application's pool; the listener gets its own
    // connection from the same options.
    VertxTaskStore store = VertxTaskStore.create(pool, vertx, connect);
    Herald herald =
        Herald.builder(store)
            .options(
                HeraldOptions.builder()
                    .pollInterval(Duration.ofMillis(500))
                    .shutdownGrace(Duration.ofSeconds(5))
                    .build())
            .build();
    OrderRepository orders = new OrderRepository(pool);
    DeliveryJournal journal = new DeliveryJournal();
    // Retries are kept fast for the demo: 3 attempts, the first retry within 200 ms.
    ReceiverOptions options =
        ReceiverOptions.builder()
            .concurrency(8)
            .timeout(Duration.ofSeconds(5))
            .retryPolicy(
                RetryPolicy.builder()
                    .maxAttempts(3)
                    .initialDelay(Duration.ofMillis(200))
                    .maxDelay(Duration.ofSeconds(2))
                    .build())
            .build();
    Signal<PaymentCompleted> paymentCompleted =
        herald
            .signal(PaymentCompleted.SIGNAL, PaymentCompleted.class)
            // A receiver written the Vert.x way: a function returning a Future.
            .connect(
                PaymentCompleted.COMPLETE_ORDER,
                options,
                journal.recording(VertxReceivers.fromFuture(new OrderCompleter(pool, orders))))
            // The shared receipt receiver, a Reactor one: it touches no database.
            .connect(
                PaymentCompleted.SEND_RECEIPT, options, journal.recording(new ReceiptSender()));
    PaymentService payments = new PaymentService(pool, orders, paymentCompleted);

    // installSchema() reads its script from the classpath when subscribed: on this thread.
    herald.installSchema().block(STARTUP);
    await(orders.createSchema());
    Disposable eventLog = herald.events().subscribe(OrdersApp::logNotable);
    // Herald's meters, scraped by Prometheus at GET /metrics: counters and timers recorded by the
    // engine, gauges from one bounded statistics query per period.
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HeraldMetrics.of(herald).bindTo(metrics);
    herald.start();
    log.info("Herald started as node {}", herald.nodeId());
    Router router = new OrdersApi(payments, orders, pool, herald).router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(port));
    return new OrdersApp(
        db,
        vertx,
        pool,
        herald,
        new DemoScenario(new ScenarioPayments(payments, orders, pool), herald, journal),
        eventLog,
        server);
  }

  /**
   * Plays the demo's scenario.
   *
   * @return its account, once every committed task was delivered or dead-lettered
   */
  public Future<ScenarioAccount> playScenario() {
    return Future.fromCompletionStage(scenario.play().toFuture());
  }

  /**
   * The HTTP port.
   *
   * @return the port the server listens on
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * Shuts down gracefully, in order: the HTTP server, Herald (running deliveries finish, held tasks
   * are released), the pool, Vert.x, and the embedded database. Idempotent; blocks.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      await(server.close());
      herald.close().block(SHUTDOWN);
      log.info("Herald closed");
    } catch (RuntimeException e) {
      log.warn("Herald did not close cleanly: {}", e.toString());
    } finally {
      eventLog.dispose();
      try {
        await(pool.close());
        await(vertx.close());
        db.close();
      } catch (Exception e) {
        log.warn("Shutdown incomplete: {}", e.toString());
      }
    }
  }

  /**
   * Starts the demo and prints the scenario's account.
   *
   * @param args {@code --port=N}, {@code --scenario=false}
   */
  public static void main(String[] args) {
    int port = 8080;
    boolean playScenario = true;
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.equals("--scenario=false")) {
        playScenario = false;
      } else {
        throw new IllegalArgumentException(
            "unknown argument '" + arg + "' (expected --port=N or --scenario=false)");
      }
    }
    OrdersApp app = start(port, System.getenv("HERALD_DATABASE_URL"));
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "orders-shutdown"));
    if (playScenario) {
      System.out.print(await(app.playScenario()).render(app.port()));
    } else {
      System.out.printf(
          "Serving on http://localhost:%d — try: curl -X POST localhost:%d/orders"
              + " -H 'content-type: application/json' -d '{\"amountCents\":1999}'%n",
          app.port(), app.port());
    }
    // Vert.x's event loops keep the JVM running; Ctrl-C runs the shutdown hook.
  }

  /** Waits for a Vert.x future from a plain thread (never from an event loop). */
  static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + STARTUP, e);
    }
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
