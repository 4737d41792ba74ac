package dev.herald.dashboard;

import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of the page that refresh live: the receivers table and the dead-letter list. Every
 * value is escaped with {@link Html#text(Object)}; nothing here is raw but the markup itself.
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

  static String task(View v, String query, TaskInfo t) {
    StringBuilder h = new StringBuilder("<div id=\"task-result\">");
    if (t == null) {
      return h.append("<p>No ready or dead task with id ")
          .append(Html.text(query))
          .append(" (it may have been delivered, purged or cancelled).</p></div>")
          .toString();
    }
    return h.append("<dl>")
        .append(dd("Id", t.id()))
        .append(dd("State", t.state()))
        .append(dd("Signal", t.signal()))
        .append(dd("Receiver", t.receiver()))
        .append(dd("Attempts", t.attempt()))
        .append(dd("Created", t.createdAt()))
        .append(dd("Runs at", t.runAt()))
        .append("<dt>Last error</dt><dd><pre>")
        .append(Html.text(t.lastError()))
        .append("</pre></dd><dt>Payload</dt><dd><pre class=\"payload\">")
        .append(Html.text(t.payload()))
        .append("</pre></dd></dl></div>")
        .toString();
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
