package dev.herald.dashboard;

import java.time.Duration;
import java.util.Map;

/** What one rendering needs besides data: where links point, the CSRF fields, the filter. */
record View(
    String basePath,
    boolean actionsEnabled,
    String csrfToken,
    Map<String, String> extraFields,
    Filter filter,
    long afterId,
    int pageSize) {

  String url(String path) {
    return basePath + path;
  }

  /** Hidden inputs every POST form carries: the dashboard's token and the framework's fields. */
  String hiddenFields() {
    StringBuilder h = new StringBuilder();
    h.append(hidden(Csrf.FIELD, csrfToken));
    extraFields.forEach((k, v) -> h.append(hidden(k, v)));
    filter.params().forEach((k, v) -> h.append(v == null ? "" : hidden(k, v)));
    return h.toString();
  }

  static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\""
        + Html.text(name)
        + "\" value=\""
        + Html.text(value)
        + "\">";
  }

  static String age(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    if (s < 86_400) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
  }

  static String count(long n, boolean capped) {
    return capped ? n + "+" : Long.toString(n);
  }
}
