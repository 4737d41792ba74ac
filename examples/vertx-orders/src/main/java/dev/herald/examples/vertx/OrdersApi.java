package dev.herald.examples.vertx;

import dev.herald.Herald;
import dev.herald.TaskInfo;
import dev.herald.dashboard.Dashboard;
import dev.herald.dashboard.vertx.VertxDashboard;
import dev.herald.examples.domain.ApiInput;
import dev.herald.examples.domain.FraudCheck;
import dev.herald.examples.domain.InvalidInputException;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's HTTP API on Vert.x Web: orders, payments and Herald's dead letters. Input is checked
 * by the shared {@link ApiInput} rules; what they reject is answered with 400 and {@code {"error":
 * message}}, as is malformed JSON.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code POST /orders} {@code {"amountCents": n}}</td><td>creates an order and its
 *       pending payment (201; 400 unless n is a whole number of cents from 1)</td></tr>
 *   <tr><td>{@code GET /orders/{id}}</td><td>the order with its payment (404 if unknown)</td></tr>
 *   <tr><td>{@code POST /payments/{id}/complete?succeeded=true|false}</td><td>completes a pending
 *       payment (400 for another value, 404 unknown, 409 not pending, 422 fraud check)</td></tr>
 *   <tr><td>{@code GET /dead-letters?limit=100}</td><td>Herald's dead tasks (400 unless the limit
 *       is from 1 to 1000)</td></tr>
 *   <tr><td>{@code POST /dead-letters/{id}/requeue}</td><td>requeues a dead task: {@code
 *       {"requeued": 1}} (0 if it is not dead)</td></tr>
 * </table>
 */
final class OrdersApi {

  private static final Logger log = LoggerFactory.getLogger(OrdersApi.class);

  private final PaymentService payments;
  private final OrderRepository orders;
  private final Pool pool;
  private final Herald herald;

  /**
   * Creates the API.
   *
   * @param payments the payment service
   * @param orders the repository
   * @param pool the pool, for reads
   * @param herald the Herald instance, for its dead letters
   */
  OrdersApi(PaymentService payments, OrderRepository orders, Pool pool, Herald herald) {
    this.payments = payments;
    this.orders = orders;
    this.pool = pool;
    this.herald = herald;
  }

  /**
   * The routes.
   *
   * @param vertx the Vert.x instance
   * @return the router
   */
  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router
        .post("/orders")
        .handler(
            ctx -> {
              // Decoded as plain JSON values, whatever their shape, so that ApiInput sees what was
              // sent: asJsonObject() would throw a ClassCastException on an array, and getLong()
              // would truncate 19.99 and clamp 1e30.
              Object body = ctx.body().isEmpty() ? null : Json.decodeValue(ctx.body().buffer());
              long amountCents = ApiInput.amountCents(plain(body));
              reply(ctx, 201, payments.createOrder(amountCents).map(OrdersApi::toJson));
            });
    router
        .get("/orders/:id")
        .handler(
            ctx -> {
              long id = id(ctx);
              reply(
                  ctx,
                  200,
                  orders
                      .findOrder(pool, id)
                      .compose(
                          o ->
                              o == null
                                  ? Future.failedFuture(new ApiException(404, "no order " + id))
                                  : Future.succeededFuture(toJson(o))));
            });
    router
        .post("/payments/:id/complete")
        .handler(
            ctx -> {
              boolean succeeded = ApiInput.succeeded(queryParam(ctx, "succeeded"));
              reply(ctx, 200, payments.complete(id(ctx), succeeded).map(OrdersApi::toJson));
            });
    router
        .get("/dead-letters")
        .handler(
            ctx -> {
              int limit = ApiInput.limit(queryParam(ctx, "limit"));
              reply(
                  ctx,
                  200,
                  bridge(
                      herald
                          .deadLetters()
                          .list(limit)
                          .map(OrdersApi::toJson)
                          .collectList()
                          .map(JsonArray::new)
                          .toFuture()));
            });
    router
        .post("/dead-letters/:id/requeue")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    bridge(
                        herald
                            .deadLetters()
                            .requeue(id(ctx))
                            .map(n -> new JsonObject().put("requeued", n))
                            .toFuture())));
    // The operator page (read-only): backlog, breakers and dead letters at /herald.
    VertxDashboard.mount(router, "/herald", Dashboard.builder(herald).build());
    router.route().failureHandler(OrdersApi::failed);
    return router;
  }

  private static long id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "not an id: " + id);
    }
  }

  /** A decoded JSON value as plain Java, as {@link ApiInput} takes it: Vert.x wraps the root. */
  private static Object plain(Object json) {
    if (json instanceof JsonObject object) {
      return object.getMap();
    }
    return json instanceof JsonArray array ? array.getList() : json;
  }

  /** The parameter's first value, or null if it is absent. */
  private static String queryParam(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** A Reactor result, completed back on the request's Vert.x context. */
  private static <T> Future<T> bridge(CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    return context == null
        ? Future.fromCompletionStage(stage)
        : Future.fromCompletionStage(stage, context);
  }

  private static void reply(RoutingContext ctx, int status, Future<?> body) {
    body.onSuccess(
            json ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(json.toString()))
        .onFailure(ctx::fail);
  }

  private static void failed(RoutingContext ctx) {
    Throwable e = ctx.failure();
    int status;
    JsonObject body;
    if (e instanceof ApiException api) {
      status = api.status();
      body = new JsonObject().put("error", api.getMessage());
    } else if (e instanceof InvalidInputException invalid) {
      status = 400;
      body = new JsonObject().put("error", invalid.getMessage());
    } else if (e instanceof FraudCheck.FraudSuspectedException) {
      status = 422;
      body =
          new JsonObject()
              .put("error", "rejected by the fraud check; payment rolled back")
              .put("reason", e.getMessage());
    } else if (e instanceof DecodeException) {
      status = 400;
      body =
          new JsonObject()
              .put("error", "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
    } else if (e == null) {
      status = ctx.statusCode();
      body = new JsonObject().put("error", "HTTP " + status);
    } else {
      status = 500;
      body = new JsonObject().put("error", e.toString());
      log.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), e);
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }

  private static JsonObject toJson(Order order) {
    return new JsonObject()
        .put("id", order.id())
        .put("amountCents", order.amountCents())
        .put("status", order.status())
        .put("paymentId", order.paymentId())
        .put("paymentStatus", order.paymentStatus());
  }

  private static JsonObject toJson(Payment payment) {
    return new JsonObject()
        .put("id", payment.id())
        .put("orderId", payment.orderId())
        .put("amountCents", payment.amountCents())
        .put("status", payment.status());
  }

  private static JsonObject toJson(TaskInfo t) {
    return new JsonObject()
        .put("id", t.id())
        .put("signal", t.signal())
        .put("receiver", t.receiver())
        .put("state", t.state())
        .put("attempt", t.attempt())
        .put("runAt", t.runAt().toString())
        .put("createdAt", t.createdAt().toString())
        .put("lastError", t.lastError())
        .put("payload", t.payload());
  }
}
