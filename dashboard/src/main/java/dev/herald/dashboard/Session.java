package dev.herald.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/** The browser's CSRF nonce (from its cookie, or new) and the view a request asks for. */
final class Session {

  private final Dashboard d;
  private final DashboardRequest r;
  private final String nonce;
  private final boolean fresh;

  private Session(Dashboard d, DashboardRequest r, String nonce, boolean fresh) {
    this.d = d;
    this.r = r;
    this.nonce = nonce;
    this.fresh = fresh;
  }

  static Session of(Dashboard d, DashboardRequest r) {
    String cookie = r.cookies().get(Csrf.COOKIE);
    // Only nonces this dashboard could have issued: base64url, bounded length.
    if (cookie != null && cookie.length() <= 64 && cookie.matches("[A-Za-z0-9_-]+")) {
      return new Session(d, r, cookie, false);
    }
    return new Session(d, r, d.csrf().newNonce(), true);
  }

  View view(Map<String, String> params) {
    return new View(
        r.basePath(),
        d.actionsEnabled(),
        d.csrf().token(nonce),
        r.extraFields(),
        Filter.from(params),
        Math.max(0, Routes.parseId(params.get("after"))),
        d.pageSize());
  }

  DashboardResponse withCookie(DashboardResponse response) {
    if (!fresh) {
      return response;
    }
    Map<String, String> h = new LinkedHashMap<>(response.headers());
    h.put("Set-Cookie", Csrf.cookie(nonce, r.basePath()));
    return new DashboardResponse(response.status(), response.contentType(), response.body(), h);
  }
}
