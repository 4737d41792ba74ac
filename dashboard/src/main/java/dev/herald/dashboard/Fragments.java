package dev.herald.dashboard;

import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parts of the page: the receivers table and the dead-letter list, which refresh live, and the task
 * search's results. Every value is escaped with {@link Html#text(Object)}; nothing here is raw but
 * the markup itself.
 */
final class Fragments {

  private Fragments() {}

  static String receivers(View v, List<ReceiverStats> stats, History history) {
    StringBuilder h = new StringBuilder();
    h.append("<table id=\"receivers\"><thead><tr>")
        .append("<th>Signal</th><th>Receiver</th><th>Ready</th><th>Oldest ready</th>")
        .append("<th>Running</th><th>Held here</th><th>Running here</th><th>Scheduled</th>")
        .append("<th>Dead</th><th>Breaker</th><th>Throughput</th><th>Failure rate</th>")
        .append("</tr></thead><tbody>");
    if (stats.isEmpty()) {
      h.append("<tr><td colspan=\"12\">No receivers yet.</td></tr>");
    }
    for (ReceiverStats s : stats) {
      History.Window w = history.window(s.signal(), s.receiver());
      String deadLink =
          v.url("/?" + Html.query(Map.of("signal", s.signal(), "receiver", s.receiver())))
              + "#dead";
      h.append("<tr class=\"receiver\" data-signal=\"")
          .append(Html.text(s.signal()))
          .append("\" data-receiver=\"")
          .append(Html.text(s.receiver()))
          .append("\">")
          .append(td("signal", s.signal()))
          .append(td("receiver", s.receiver() + (s.connected() ? "" : " (not connected here)")))
          .append(td("ready", View.count(s.ready(), s.readyCapped())))
          .append(td("oldest", View.age(s.oldestReady())))
          .append(td("running", View.count(s.running(), s.runningCapped())))
          .append(td("held", s.held()))
          .append(td("running-here", s.runningHere()))
          .append(td("scheduled", View.count(s.scheduled(), s.scheduledCapped())))
          .append("<td class=\"dead\"><a href=\"")
          .append(Html.text(deadLink))
          .append("\">")
          .append(Html.text(View.count(s.dead(), s.deadCapped())))
          .append("</a></td>")
          .append(
              td(
                  "breaker breaker-" + (s.breaker() == null ? "none" : s.breaker().name()),
                  s.breaker() == null ? "–" : s.breaker().name()))
          .append("<td class=\"throughput\">")
          .append(Sparkline.svg(w))
          .append(" <span class=\"delivered\">")
          .append(w.totalDelivered())
          .append("</span></td>")
          .append(td("failure-rate", String.format(Locale.ROOT, "%.0f%%", 100 * w.failureRate())))
          .append("</tr>");
    }
    return h.append("</tbody></table>").toString();
  }

  static String deadLetters(View v, Queries.DeadPage page) {
    StringBuilder h = new StringBuilder("<div id=\"dead-list\">");
    if (page.tasks().isEmpty()) {
      h.append("<p class=\"empty\">No dead letters match.</p>");
    } else {
      h.append("<table id=\"dead-table\"><thead><tr><th>Id</th><th>Signal</th><th>Receiver</th>")
          .append("<th>Attempts</th><th>Created</th><th>Last error</th><th>Payload</th>")
          .append(v.actionsEnabled() ? "<th>Actions</th>" : "")
          .append("</tr></thead><tbody>");
      for (TaskInfo t : page.tasks()) {
        h.append("<tr class=\"dead-letter\" id=\"dead-")
            .append(t.id())
            .append("\">")
            .append(td("id", t.id()))
            .append(td("signal", t.signal()))
            .append(td("receiver", t.receiver()))
            .append(td("attempt", t.attempt()))
            .append(td("created", t.createdAt()))
            .append("<td class=\"error\"><pre>")
            .append(Html.text(t.lastError()))
            .append("</pre></td><td class=\"payload\"><pre>")
            .append(Html.text(t.payload()))
            .append("</pre></td>");
        if (v.actionsEnabled()) {
          h.append("<td class=\"actions\">")
              .append(button(v, "requeue", t.id(), "Requeue"))
              .append(button(v, "purge", t.id(), "Purge"))
              .append("</td>");
        }
        h.append("</tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<p class=\"paging\">");
    if (v.afterId() > 0) {
      h.append(link(v, 0, "First page")).append(' ');
    }
    if (page.next() > 0) {
      h.append(link(v, page.next(), page.scanLimited() ? "Continue scanning" : "Next page"));
    }
    if (page.scanLimited()) {
      h.append(" <span class=\"note\">Read ")
          .append(page.scanned())
          .append(" dead letters for this page (the reason filter reads at most that many).")
          .append("</span>");
    }
    return h.append("</p></div>").toString();
  }

  static String search(View v, Queries.Search search, Instant now) {
    StringBuilder h = new StringBuilder("<div id=\"task-result\">");
    String where = search.signal() == null ? "" : " of signal " + search.signal();
    if (search.tasks().isEmpty()) {
      return h.append("<p class=\"empty\">No task with id or dedupe key ")
          .append(Html.text(search.text() + where))
          .append(". A delivered task is gone unless completed tasks are kept (retention);")
          .append(" purged and cancelled ones are gone too.</p></div>")
          .toString();
    }
    h.append("<table id=\"task-results\"><thead><tr><th>Id</th><th>State</th><th>Signal</th>")
        .append("<th>Receiver</th><th>Dedupe key</th><th>Attempts</th><th>Due or done at</th>")
        .append("<th>Created</th><th>Leased by</th><th>Last error</th><th>Payload</th>")
        .append(v.actionsEnabled() ? "<th>Actions</th>" : "")
        .append("</tr></thead><tbody>");
    for (TaskInfo t : search.tasks()) {
      String state = state(t, now);
      h.append("<tr class=\"task\" id=\"task-")
          .append(t.id())
          .append("\" data-state=\"")
          .append(Html.text(state))
          .append("\">")
          .append(td("id", t.id()))
          .append(td("state", state))
          .append(td("signal", t.signal()))
          .append(td("receiver", t.receiver()))
          .append(td("dedupe-key", t.dedupeKey()))
          .append(td("attempt", t.attempt()))
          .append(td("run-at", t.runAt()))
          .append(td("created", t.createdAt()))
          .append(td("leased-by", state.equals("running") ? t.leasedBy() : null))
          .append("<td class=\"error\"><pre>")
          .append(Html.text(t.lastError()))
          .append("</pre></td><td class=\"payload\"><pre>")
          .append(Html.text(t.payload()))
          .append("</pre></td>");
      if (v.actionsEnabled()) {
        h.append("<td class=\"actions\">");
        if (t.state().equals("dead")) {
          h.append(button(v, "requeue", t.id(), "Requeue"))
              .append(button(v, "purge", t.id(), "Purge"));
        }
        h.append("</td>");
      }
      h.append("</tr>");
    }
    return h.append("</tbody></table></div>").toString();
  }

  // What a found task waits for, on the dashboard's clock: a ready task is running while a lease
  // lies ahead, scheduled (or waiting to retry, after a failure) until it is due.
  static String state(TaskInfo t, Instant now) {
    if (!t.state().equals("ready")) {
      return t.state();
    }
    if (t.leasedUntil() != null && t.leasedUntil().isAfter(now)) {
      return "running";
    }
    if (t.runAt().isAfter(now)) {
      return t.lastError() == null ? "scheduled" : "waiting to retry";
    }
    return "ready";
  }

  private static String button(View v, String op, long id, String label) {
    return "<form method=\"post\" action=\""
        + Html.text(v.url("/actions"))
        + "\">"
        + v.hiddenFields()
        + View.hidden("op", op)
        + View.hidden("ids", Long.toString(id))
        + "<button type=\"submit\" class=\""
        + op
        + "\">"
        + label
        + "</button></form>";
  }

  private static String link(View v, long after, String label) {
    Map<String, String> p = v.filter().params();
    p.put("after", after > 0 ? Long.toString(after) : null);
    return "<a class=\"page-link\" href=\""
        + Html.text(v.url("/?" + Html.query(p)) + "#dead")
        + "\">"
        + label
        + "</a>";
  }

  private static String td(String cls, Object value) {
    return "<td class=\"" + cls + "\">" + Html.text(value) + "</td>";
  }

  private static String dd(String term, Object value) {
    return "<dt>" + term + "</dt><dd>" + Html.text(value) + "</dd>";
  }
}
