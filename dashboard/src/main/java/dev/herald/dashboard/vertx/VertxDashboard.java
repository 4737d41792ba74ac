package dev.herald.dashboard.vertx;

import dev.herald.dashboard.Dashboard;
import dev.herald.dashboard.DashboardRequest;
import dev.herald.dashboard.DashboardResponse;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a {@link Dashboard} from a Vert.x Web {@link Router}.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(herald).build();   // read-only
 * router.route("/herald/*").handler(myAuthHandler);          // protect it first
 * VertxDashboard.mount(router, "/herald", dashboard);
 * }</pre>
 *
 * <p>The routes answer on the router's event loop; the dashboard's store calls run wherever
 * Herald's store runs them, and the response is written back on the request's context. Form bodies
 * are read with a {@link BodyHandler} limited to {@value #BODY_LIMIT} bytes. Authentication and
 * authorization are the application's: add them to the path before mounting, and enable actions
 * ({@link Dashboard.Builder#actionsEnabled(boolean)}) only behind them.
 */
public final class VertxDashboard {

  /** The largest form body the mount reads: 64 KiB. */
  public static final int BODY_LIMIT = 64 * 1024;

  private VertxDashboard() {}

  /**
   * Adds the dashboard's routes to {@code router} under {@code path}.
   *
   * @param router the application's router
   * @param path where to serve it, starting with {@code /} and below the root (e.g. {@code
   *     /herald})
   * @param dashboard the dashboard
   * @throws IllegalArgumentException if the path is the root or does not start with {@code /}
   */
  public static void mount(Router router, String path, Dashboard dashboard) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(dashboard, "dashboard");
    if (path == null || !path.startsWith("/") || path.equals("/") || path.contains("*")) {
      throw new IllegalArgumentException(
          "path must start with / and name a path below the root, but was " + path);
    }
    String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Handler<RoutingContext> handler = ctx -> handle(ctx, base, dashboard);
    router.route(base).handler(handler);
    router
        .route(base + "/*")
        .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT).setHandleFileUploads(false))
        .handler(handler);
  }

  private static void handle(RoutingContext ctx, String base, Dashboard dashboard) {
    HttpServerRequest req = ctx.request();
    String path = ctx.normalizedPath();
    DashboardRequest request =
        new DashboardRequest(
            req.method().name(),
            base,
            path.length() > base.length() ? path.substring(base.length()) : "",
            first(ctx.queryParams()),
            req.method().name().equals("POST") ? first(req.formAttributes()) : Map.of(),
            cookies(req),
            Map.of());
    Context context = ctx.vertx().getOrCreateContext();
    dashboard
        .handle(request)
        .subscribe(
            response -> context.runOnContext(v -> write(ctx, response)),
            error -> context.runOnContext(v -> ctx.fail(error)));
  }

  private static void write(RoutingContext ctx, DashboardResponse r) {
    var response = ctx.response().setStatusCode(r.status());
    response.putHeader("Content-Type", r.contentType());
    r.headers().forEach(response::putHeader);
    response.end(io.vertx.core.buffer.Buffer.buffer(r.bodyBytes()));
  }

  private static Map<String, String> first(MultiMap values) {
    Map<String, String> m = new HashMap<>();
    for (String name : values.names()) {
      String v = values.get(name);
      if (v != null) {
        m.put(name, v);
      }
    }
    return m;
  }

  private static Map<String, String> cookies(HttpServerRequest req) {
    Map<String, String> m = new HashMap<>();
    for (Cookie c : req.cookies()) {
      m.putIfAbsent(c.getName(), c.getValue());
    }
    return m;
  }
}
