package dev.herald.dashboard;

import dev.herald.ReceiverStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Whole pages: the dashboard and the confirmation of a bulk action. */
final class Pages {

  private Pages() {}

  static String dashboard(
      View v,
      String nodeId,
      boolean listening,
      List<ReceiverStats> stats,
      History history,
      Queries.DeadPage dead,
      String flash,
      Queries.Search search,
      Instant now,
      long refreshMillis) {
    StringBuilder h = head(v, "Herald");
    h.append("<main id=\"herald-dashboard\" data-base=\"")
        .append(Html.text(v.basePath()))
        .append("\" data-refresh-ms=\"")
        .append(refreshMillis)
        .append("\"><h1>Herald</h1><p class=\"muted\">Node ")
        .append(Html.text(nodeId))
        .append(listening ? " · listening" : " · not listening")
        .append(v.actionsEnabled() ? " · actions enabled" : " · read-only")
        .append(" · <span id=\"status\">loaded</span></p>");
    if (flash != null) {
      h.append("<p id=\"flash\" class=\"flash\">").append(Html.text(flash)).append("</p>");
    }
    h.append("<h2>Receivers</h2><div id=\"receivers-box\">")
        .append(Fragments.receivers(v, stats, history))
        .append("</div>");

    h.append("<h2>Find a task</h2><form id=\"task-search\" method=\"get\" action=\"")
        .append(Html.text(v.url("/")))
        .append("\"><input name=\"task\" placeholder=\"task id or dedupe key\" value=\"")
        .append(Html.text(search == null ? null : search.text()))
        .append("\"> <select name=\"task-signal\" title=\"the signal of the dedupe key\">")
        .append("<option value=\"\">any signal</option>");
    List<String> signals = new ArrayList<>(Routes.signals(stats));
    String chosen = search == null ? null : search.signal();
    if (chosen != null && !signals.contains(chosen)) {
      signals.add(chosen);
    }
    for (String signal : signals) {
      h.append("<option value=\"")
          .append(Html.text(signal))
          .append(signal.equals(chosen) ? "\" selected>" : "\">")
          .append(Html.text(signal))
          .append("</option>");
    }
    h.append("</select> <button type=\"submit\">Find</button></form>");
    if (search != null) {
      h.append(Fragments.search(v, search, now));
    }

    Filter f = v.filter();
    h.append("<h2 id=\"dead\">Dead letters</h2><form class=\"filters\" id=\"dead-filter\"")
        .append(" method=\"get\" action=\"")
        .append(Html.text(v.url("/")))
        .append("\">")
        .append(input("signal", f.signal()))
        .append(input("receiver", f.receiver()))
        .append(input("reason", f.reason()))
        .append(" <button type=\"submit\">Filter</button></form>");
    if (v.actionsEnabled()) {
      h.append(" <a id=\"requeue-all\" href=\"")
          .append(Html.text(v.url("/confirm?" + Html.query(withOp(f, "requeue-all")))))
          .append("\">Requeue all matching…</a> <a id=\"purge-all\" href=\"")
          .append(Html.text(v.url("/confirm?" + Html.query(withOp(f, "purge-all")))))
          .append("\">Purge all matching…</a>");
    }
    h.append("<div id=\"dead-box\">").append(Fragments.deadLetters(v, dead)).append("</div>");
    return h.append("</main></body></html>").toString();
  }

  static String confirm(View v, String op, Queries.Count count, long[] ids) {
    String verb = op.startsWith("requeue") ? "Requeue" : "Purge";
    String amount =
        ids != null
            ? Long.toString(ids.length)
            : (count.atLeast() ? "at least " : "") + Long.toString(count.n());
    StringBuilder h = head(v, "Herald: confirm");
    h.append("<main><h1>")
        .append(verb)
        .append(" dead letters?</h1><p id=\"confirm-count\">This will ")
        .append(verb.toLowerCase(java.util.Locale.ROOT))
        .append(" <strong>")
        .append(Html.text(amount))
        .append("</strong> dead letters: ")
        .append(Html.text(v.filter().describe()))
        .append(".</p><form method=\"post\" action=\"")
        .append(Html.text(v.url("/actions")))
        .append("\">")
        .append(v.hiddenFields())
        .append(View.hidden("op", op))
        .append("<button type=\"submit\" id=\"confirm\">")
        .append(verb)
        .append("</button></form> <a href=\"")
        .append(Html.text(v.url("/?" + Html.query(v.filter().params()))))
        .append("\">Cancel</a></main></body></html>");
    return h.toString();
  }

  static String error(View v, String message) {
    return head(v, "Herald")
        .append("<main><p class=\"error-box\">")
        .append(Html.text(message))
        .append("</p><a href=\"")
        .append(Html.text(v.url("/")))
        .append("\">Back</a></main></body></html>")
        .toString();
  }

  private static java.util.Map<String, String> withOp(Filter f, String op) {
    java.util.Map<String, String> p = f.params();
    p.put("op", op);
    return p;
  }

  private static String input(String name, String value) {
    return "<input name=\""
        + name
        + "\" placeholder=\""
        + name
        + (name.equals("reason") ? " text" : "")
        + "\" value=\""
        + Html.text(value)
        + "\">";
  }

  private static StringBuilder head(View v, String title) {
    return new StringBuilder(8192)
        .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(Html.text(title))
        .append("</title><link rel=\"stylesheet\" href=\"")
        .append(Html.text(v.url("/assets/dashboard.css")))
        .append("\"><script defer src=\"")
        .append(Html.text(v.url("/assets/dashboard.js")))
        .append("\"></script></head><body>");
  }
}
