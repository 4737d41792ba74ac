package dev.herald.dashboard.spring;

import dev.herald.dashboard.Dashboard;
import dev.herald.dashboard.DashboardRequest;
import dev.herald.dashboard.DashboardResponse;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Translates WebFlux requests and responses for the framework-neutral {@link Dashboard}. */
final class DashboardHandler implements HandlerFunction<ServerResponse> {

  // Spring Security's WebFlux CSRF filter leaves the token (a Mono) under this attribute; read
  // reflectively so that Spring Security stays optional.
  private static final String CSRF_ATTRIBUTE =
      "org.springframework.security.web.server.csrf.CsrfToken";

  private final Dashboard dashboard;
  private final String base;

  DashboardHandler(Dashboard dashboard, String base) {
    this.dashboard = dashboard;
    this.base = base;
  }

  @Override
  public Mono<ServerResponse> handle(ServerRequest request) {
    String method = request.method().name();
    Mono<Map<String, String>> form =
        method.equals("POST")
            ? request.formData().map(DashboardHandler::first)
            : Mono.just(Map.of());
    return Mono.zip(form, securityFields(request))
        .flatMap(
            t ->
                dashboard.handle(
                    new DashboardRequest(
                        method,
                        base,
                        request.path().substring(base.length()),
                        first(request.queryParams()),
                        t.getT1(),
                        cookies(request.cookies()),
                        t.getT2())))
        .flatMap(DashboardHandler::write);
  }

  private static Mono<ServerResponse> write(DashboardResponse r) {
    ServerResponse.BodyBuilder b =
        ServerResponse.status(HttpStatus.valueOf(r.status()))
            .contentType(MediaType.parseMediaType(r.contentType()))
            .headers(h -> r.headers().forEach(h::set));
    return r.body().isEmpty() ? b.build() : b.bodyValue(r.body());
  }

  private static Mono<Map<String, String>> securityFields(ServerRequest request) {
    Object attribute = request.exchange().getAttribute(CSRF_ATTRIBUTE);
    if (!(attribute instanceof Mono<?> token)) {
      return Mono.just(Map.of());
    }
    return token
        .<Map<String, String>>map(
            t -> {
              try {
                Class<?> type = Class.forName(CSRF_ATTRIBUTE, false, t.getClass().getClassLoader());
                Method name = type.getMethod("getParameterName");
                Method value = type.getMethod("getToken");
                return Map.of((String) name.invoke(t), (String) value.invoke(t));
              } catch (ReflectiveOperationException e) {
                return Map.of();
              }
            })
        .defaultIfEmpty(Map.of());
  }

  private static Map<String, String> first(MultiValueMap<String, String> values) {
    Map<String, String> m = new HashMap<>();
    values.forEach(
        (k, v) -> {
          if (!v.isEmpty() && v.get(0) != null) {
            m.put(k, v.get(0));
          }
        });
    return m;
  }

  private static Map<String, String> cookies(MultiValueMap<String, HttpCookie> cookies) {
    Map<String, String> m = new HashMap<>();
    cookies.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            m.put(k, v.get(0).getValue());
          }
        });
    return m;
  }
}
