package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Builder validation; no connection is opened. */
class VertxTaskStoreTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void create() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(new PgConnectOptions()).using(vertx).build();
  }

  @AfterAll
  static void close() {
    pool.close();
    vertx.close();
  }

  @Test
  void anInvalidTableNameIsRejectedWhenBuilt() {
    assertThatThrownBy(
            () ->
                VertxTaskStore.builder(pool, vertx, new PgConnectOptions())
                    .tableName("tasks; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tableName must be a plain identifier")
        .hasMessageContaining("'tasks; DROP TABLE x'");
  }

  @Test
  void aNonPositiveHeartbeatIsRejectedNamingTheValue() {
    assertThatThrownBy(
            () ->
                VertxTaskStore.builder(pool, vertx, new PgConnectOptions())
                    .listenerHeartbeat(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("listenerHeartbeat must be positive, but was PT0S");
  }

  @Test
  void missingArgumentsAreNamed() {
    assertThatThrownBy(() -> VertxTaskStore.create(null, vertx, new PgConnectOptions()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pool");
    assertThatThrownBy(() -> VertxTaskStore.create(pool, null, new PgConnectOptions()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("vertx");
    assertThatThrownBy(() -> VertxTaskStore.create(pool, vertx, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("connectOptions");
  }
}
