package dev.herald.dashboard;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to the dashboard, as a mount hands it over: framework-neutral and already read
 * (a mount reads a POST's form body before calling {@link Dashboard#handle(DashboardRequest)}).
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST}, ...)
 * @param basePath where the dashboard is mounted, without a trailing slash (for example {@code
 *     /herald}); links and form actions in the page start with it
 * @param path the request path below {@code basePath}: {@code ""} or {@code /} for the page, {@code
 *     /actions}, {@code /api/stats}, ...
 * @param query the query parameters (first value of each)
 * @param form the form parameters of a POST (first value of each); empty otherwise
 * @param cookies the request's cookies by name
 * @param extraFields hidden fields the page adds to every form it renders, for a framework's own
 *     CSRF protection (for example Spring Security's {@code _csrf}); usually empty
 */
public record DashboardRequest(
    String method,
    String basePath,
    String path,
    Map<String, String> query,
    Map<String, String> form,
    Map<String, String> cookies,
    Map<String, String> extraFields) {

  /** Validates and copies. */
  public DashboardRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(basePath, "basePath");
    Objects.requireNonNull(path, "path");
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    query = Map.copyOf(query);
    form = Map.copyOf(form);
    cookies = Map.copyOf(cookies);
    extraFields = Map.copyOf(extraFields);
  }

  /**
   * A GET without cookies, for tests and simple mounts.
   *
   * @param basePath where the dashboard is mounted
   * @param path the path below it
   * @param query the query parameters
   * @return the request
   */
  public static DashboardRequest get(String basePath, String path, Map<String, String> query) {
    return new DashboardRequest("GET", basePath, path, query, Map.of(), Map.of(), Map.of());
  }
}
