package dev.herald.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * HTML escaping for text and quoted attribute values. Every value from the store (names, payloads,
 * errors) and from the request goes through {@link #text(Object)} before it reaches the page.
 */
final class Html {

  private Html() {}

  // The five characters that can end a text node or a quoted attribute value (OWASP's "HTML
  // entity encoding" set); the page only ever puts values in text nodes and "-quoted attributes.
  static String text(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** A query string (without "?") from the non-blank values, URL-encoded, not yet HTML-escaped. */
  static String query(Map<String, String> params) {
    StringJoiner q = new StringJoiner("&");
    params.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return q.toString();
  }
}
