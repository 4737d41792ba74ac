package dev.herald.dashboard;

import dev.herald.TaskInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The dead-letter filter of a request: signal, receiver, text in the last error; blank = any. */
record Filter(String signal, String receiver, String reason) {

  static Filter from(Map<String, String> params) {
    return new Filter(
        blankToNull(params.get("signal")),
        blankToNull(params.get("receiver")),
        blankToNull(params.get("reason")));
  }

  boolean matches(TaskInfo t) {
    return reason == null
        || (t.lastError() != null
            && t.lastError().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)));
  }

  boolean matchesPair(String s, String r) {
    return (signal == null || signal.equals(s)) && (receiver == null || receiver.equals(r));
  }

  Map<String, String> params() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("signal", signal);
    p.put("receiver", receiver);
    p.put("reason", reason);
    return p;
  }

  String describe() {
    StringBuilder d = new StringBuilder();
    d.append(signal == null ? "every signal" : "signal " + signal);
    d.append(receiver == null ? ", every receiver" : ", receiver " + receiver);
    if (reason != null) {
      d.append(", last error containing \"").append(reason).append('"');
    }
    return d.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
