package dev.herald.dashboard;

import dev.herald.DeadLetters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Requeue and purge: only when enabled, only by POST with a valid CSRF token; bulk actions go
 * through {@link #confirm} first, which states how many dead letters will change.
 */
final class Actions {

  private final Dashboard d;

  Actions(Dashboard d) {
    this.d = d;
  }

  Mono<DashboardResponse> handle(DashboardRequest r) {
    Session s = Session.of(d, r);
    View v = s.view(r.form());
    if (!d.actionsEnabled()) {
      return Mono.just(
          Routes.html(403, Pages.error(v, "Actions are disabled: this dashboard is read-only.")));
    }
    if (!d.csrf().valid(r.cookies().get(Csrf.COOKIE), r.form().get(Csrf.FIELD))) {
      return Mono.just(
          Routes.html(
              403,
              Pages.error(v, "Missing or invalid CSRF token: reload the dashboard and retry.")));
    }
    String op = String.valueOf(r.form().get("op"));
    DeadLetters dead = d.herald().deadLetters();
    Filter f = v.filter();
    Mono<Long> changed;
    switch (op) {
      case "requeue", "purge" -> {
        long[] ids = parseIds(r.form().get("ids"));
        if (ids.length == 0) {
          return Mono.just(Routes.html(400, Pages.error(v, op + " needs task ids")));
        }
        changed = op.equals("requeue") ? dead.requeue(ids) : dead.purge(ids);
      }
      case "requeue-all", "purge-all" -> {
        boolean requeue = op.equals("requeue-all");
        if (f.reason() == null) {
          changed =
              requeue
                  ? dead.requeueAll(f.signal(), f.receiver())
                  : dead.purgeAll(f.signal(), f.receiver());
        } else {
          changed =
              d.queries()
                  .matchingIds(f)
                  .flatMap(
                      page -> {
                        long[] ids = page.tasks().stream().mapToLong(t -> t.id()).toArray();
                        if (ids.length == 0) {
                          return Mono.just(0L);
                        }
                        return requeue ? dead.requeue(ids) : dead.purge(ids);
                      });
        }
      }
      default -> {
        return Mono.just(Routes.html(400, Pages.error(v, "Unknown action")));
      }
    }
    return changed.map(
        n -> {
          Map<String, String> p = f.params();
          p.put("done", op.startsWith("requeue") ? "requeue" : "purge");
          p.put("n", Long.toString(n));
          Map<String, String> h = new LinkedHashMap<>(Dashboard.securityHeaders());
          h.put("Location", v.url("/?" + Html.query(p)));
          return s.withCookie(new DashboardResponse(303, Routes.HTML, "", h));
        });
  }

  Mono<DashboardResponse> confirm(DashboardRequest r, View v) {
    if (!d.actionsEnabled()) {
      return Mono.just(
          Routes.html(403, Pages.error(v, "Actions are disabled: this dashboard is read-only.")));
    }
    String op = String.valueOf(r.query().get("op"));
    if (!op.equals("requeue-all") && !op.equals("purge-all")) {
      return Mono.just(Routes.html(400, Pages.error(v, "Unknown action")));
    }
    Filter f = v.filter();
    if (f.reason() == null) {
      return d.queries()
          .deadCount(f)
          .map(count -> Routes.html(200, Pages.confirm(v, op, count, null)));
    }
    return d.queries()
        .matchingIds(f)
        .map(
            page ->
                Routes.html(
                    200,
                    Pages.confirm(
                        v, op, null, page.tasks().stream().mapToLong(t -> t.id()).toArray())));
  }

  /** The message after an action, from fixed text: the query only supplies a verb and a number. */
  static String flash(Map<String, String> query) {
    String done = query.get("done");
    long n = Math.max(0, Routes.parseId(query.get("n")));
    if ("requeue".equals(done)) {
      return "Requeued " + n + " dead letter" + (n == 1 ? "." : "s.");
    }
    if ("purge".equals(done)) {
      return "Purged " + n + " dead letter" + (n == 1 ? "." : "s.");
    }
    return null;
  }

  private static long[] parseIds(String ids) {
    if (ids == null || ids.isBlank()) {
      return new long[0];
    }
    try {
      return Arrays.stream(ids.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      return new long[0];
    }
  }
}
