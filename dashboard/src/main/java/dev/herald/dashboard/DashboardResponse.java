package dev.herald.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's answer to one {@link DashboardRequest}, for a mount to write as it is.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}, with its charset
 * @param body the body text (UTF-8); empty for a redirect
 * @param headers further headers to set (for example {@code Location}, {@code Set-Cookie}, {@code
 *     Content-Security-Policy}); every response carries {@code Cache-Control: no-store} and a
 *     restrictive {@code Content-Security-Policy}
 */
public record DashboardResponse(
    int status, String contentType, String body, Map<String, String> headers) {

  /** Copies. */
  public DashboardResponse {
    headers = Map.copyOf(headers);
  }

  /**
   * The body as UTF-8 bytes.
   *
   * @return the bytes
   */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
