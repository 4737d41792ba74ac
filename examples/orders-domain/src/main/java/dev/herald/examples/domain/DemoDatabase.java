package dev.herald.examples.domain;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The PostgreSQL server the demo uses: the one named by {@code HERALD_DATABASE_URL}, or an embedded
 * one started for this process and stopped on {@link #close()}.
 *
 * @param host the server's host
 * @param port the server's port
 * @param user the user
 * @param password the password, or null
 * @param database the database
 * @param embedded the embedded server this process owns, or null for an external one
 */
public record DemoDatabase(
    String host, int port, String user, String password, String database, EmbeddedPostgres embedded)
    implements AutoCloseable {

  /**
   * Starts an embedded PostgreSQL (zonky): user, password and database {@code postgres}.
   *
   * @return the running server
   */
  public static DemoDatabase startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      return new DemoDatabase("127.0.0.1", pg.getPort(), "postgres", "postgres", "postgres", pg);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /**
   * An external server, from a URL such as {@code postgresql://user@host:port/db} (a password may
   * follow the user after a colon; the port defaults to 5432).
   *
   * @param url the URL
   * @return the server's coordinates
   * @throws IllegalArgumentException if the URL is not of that form
   */
  public static DemoDatabase fromUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(url, e.getMessage());
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw invalid(url, "the scheme must be postgresql://");
    }
    if (uri.getHost() == null) {
      throw invalid(url, "no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.isEmpty()) {
      throw invalid(url, "no database");
    }
    String userInfo = uri.getRawUserInfo();
    String user = "postgres";
    String password = null;
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    return new DemoDatabase(uri.getHost(), port, user, password, path, null);
  }

  /**
   * Where the server is, for the log (without the password).
   *
   * @return for example {@code postgresql://postgres@127.0.0.1:5432/postgres (embedded)}
   */
  public String describe() {
    return "postgresql://"
        + user
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + (embedded != null ? " (embedded)" : "");
  }

  /** Stops the embedded server, if this process started one. */
  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "HERALD_DATABASE_URL must look like postgresql://user@host:port/db (" + why + ")");
  }
}
