package dev.herald.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostgreSQL server of this test JVM: the one {@code HERALD_TEST_DATABASE_URL} names ({@code
 * postgresql://user[:password]@host:port/database}), or else one embedded server started on first
 * use and stopped with the JVM.
 */
public final class TestDatabase {

  /** Where to connect. */
  public record Endpoint(String host, int port, String database, String user, String password) {}

  private static final AtomicLong TABLES = new AtomicLong();
  private static Endpoint endpoint;
  private static EmbeddedPostgres embedded;

  private TestDatabase() {}

  /**
   * The server, starting the embedded one if needed.
   *
   * @return the endpoint
   */
  public static synchronized Endpoint endpoint() {
    if (endpoint == null) {
      String url = System.getenv("HERALD_TEST_DATABASE_URL");
      endpoint = url == null || url.isBlank() ? startEmbedded() : parse(url);
    }
    return endpoint;
  }

  /**
   * A table name no other test in any JVM on this server uses.
   *
   * @return a fresh, valid table name
   */
  public static String freshTable() {
    return "t" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
  }

  static Endpoint parse(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
    String user = userInfo.contains(":") ? userInfo.substring(0, userInfo.indexOf(':')) : userInfo;
    String password = userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : "";
    String db =
        uri.getPath() == null || uri.getPath().length() <= 1 ? user : uri.getPath().substring(1);
    return new Endpoint(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
  }

  private static Endpoint startEmbedded() {
    try {
      embedded =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "300")
              .start();
      return new Endpoint("127.0.0.1", embedded.getPort(), "postgres", "postgres", "postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }
}
