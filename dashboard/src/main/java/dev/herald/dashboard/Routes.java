package dev.herald.dashboard;

import dev.herald.ReceiverStats;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** Maps a request to what answers it; GETs here, POSTs in {@link Actions}. */
final class Routes {

  static final String HTML = "text/html; charset=utf-8";
  static final String JSON = "application/json; charset=utf-8";

  private final Dashboard d;
  private final Actions actions;

  Routes(Dashboard d) {
    this.d = d;
    this.actions = new Actions(d);
  }

  Mono<DashboardResponse> route(DashboardRequest r) {
    String path = r.path().isEmpty() ? "/" : r.path();
    if (path.equals("/actions")) {
      return r.method().equals("POST")
          ? actions.handle(r)
          : Mono.just(text(405, "POST only", Map.of("Allow", "POST")));
    }
    if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
      return Mono.just(text(405, "GET only", Map.of("Allow", "GET")));
    }
    Session s = Session.of(d, r);
    View v = s.view(r.query());
    Mono<DashboardResponse> answer =
        switch (path) {
          case "/" -> page(r, v);
          case "/fragment/receivers" ->
              d.queries()
                  .stats()
                  .map(stats -> Fragments.receivers(v, stats, d.history()))
                  .map(body -> html(200, body));
          case "/fragment/dead" ->
              d.queries()
                  .deadPage(v.filter(), v.afterId(), v.pageSize())
                  .map(page -> html(200, Fragments.deadLetters(v, page)));
          case "/confirm" -> actions.confirm(r, v);
          case "/api/stats" ->
              d.queries()
                  .stats()
                  .map(
                      stats ->
                          json(
                              Json.stats(
                                  d.herald().nodeId(),
                                  d.herald().listening(),
                                  stats,
                                  d.history())));
          case "/api/tasks" ->
              search(r, d.queries().stats())
                  .map(
                      found ->
                          json(Json.tasks(found.map(Queries.Search::tasks).orElse(List.of()))));
          case "/api/dead-letters" ->
              d.queries()
                  .deadPage(v.filter(), v.afterId(), v.pageSize())
                  .map(page -> json(Json.deadLetters(page)));
          case "/assets/dashboard.js" ->
              Mono.just(asset("text/javascript; charset=utf-8", Assets.SCRIPT));
          case "/assets/dashboard.css" -> Mono.just(asset("text/css; charset=utf-8", Assets.STYLE));
          default -> Mono.just(text(404, "Not found", Map.of()));
        };
    return answer
        .onErrorResume(
            e ->
                Mono.just(
                    html(
                        503,
                        Pages.error(
                            v, "Herald could not answer: " + e.getClass().getSimpleName()))))
        .map(s::withCookie);
  }

  private Mono<DashboardResponse> page(DashboardRequest r, View v) {
    Mono<List<ReceiverStats>> stats = d.queries().stats().cache();
    return Mono.zip(
            stats, d.queries().deadPage(v.filter(), v.afterId(), v.pageSize()), search(r, stats))
        .map(
            t ->
                html(
                    200,
                    Pages.dashboard(
                        v,
                        d.herald().nodeId(),
                        d.herald().listening(),
                        t.getT1(),
                        d.history(),
                        t.getT2(),
                        Actions.flash(r.query()),
                        t.getT3().orElse(null),
                        d.clock().instant(),
                        d.refresh().toMillis())));
  }

  // The task search of ?task= (an id or a dedupe key) and ?task-signal= (blank: every signal the
  // counts show), once the counts are in; empty without a search.
  private Mono<Optional<Queries.Search>> search(
      DashboardRequest r, Mono<List<ReceiverStats>> stats) {
    String text = blank(r.query().get("task"));
    if (text == null) {
      return Mono.just(Optional.empty());
    }
    String signal = blank(r.query().get("task-signal"));
    return stats
        .flatMap(s -> d.queries().search(text, signal, signals(s), d.pageSize()))
        .map(Optional::of);
  }

  static List<String> signals(List<ReceiverStats> stats) {
    return stats.stream().map(ReceiverStats::signal).distinct().sorted().toList();
  }

  static long parseId(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static DashboardResponse html(int status, String body) {
    return new DashboardResponse(status, HTML, body, Dashboard.securityHeaders());
  }

  static DashboardResponse json(Object body) {
    return new DashboardResponse(200, JSON, Json.write(body), Dashboard.securityHeaders());
  }

  static DashboardResponse text(int status, String body, Map<String, String> extra) {
    Map<String, String> h = new java.util.LinkedHashMap<>(Dashboard.securityHeaders());
    h.putAll(extra);
    return new DashboardResponse(status, "text/plain; charset=utf-8", body, h);
  }

  private static DashboardResponse asset(String type, String body) {
    return new DashboardResponse(200, type, body, Dashboard.securityHeaders());
  }
}
