package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A dispatcher on a pool of its own keeps delivering while the application's pool is exhausted: its
 * claims and acknowledgements never queue behind waiting sends.
 */
class R2dbcDispatcherPoolIT {

  private final ConnectionPool appPool = pool(1);
  private final ConnectionPool dispatcherPool = pool(2);
  private final R2dbcFixture fixture = new R2dbcFixture();
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
    appPool.dispose();
    dispatcherPool.dispose();
  }

  private static ConnectionPool pool(int size) {
    return new ConnectionPool(
        ConnectionPoolConfiguration.builder(R2dbcFixture.rawFactory())
            .initialSize(0)
            .maxSize(size)
            .maxAcquireTime(Duration.ofSeconds(30))
            .build());
  }

  @Test
  void aDispatcherOnItsOwnPoolDeliversWhileTheApplicationsPoolIsExhausted() {
    R2dbcTaskStore store =
        R2dbcTaskStore.builder(appPool)
            .tableName(fixture.table)
            .dispatcherConnectionFactory(dispatcherPool)
            .build();
    Herald herald =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .build();
    fixture.heralds().add(herald);
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    herald.start();

    // The application's only connection sends, commits, and then stays checked out in a new,
    // open transaction: nothing else can use that pool.
    Connection held = Mono.from(appPool.create()).block(Duration.ofSeconds(10));
    try {
      Mono.from(held.beginTransaction())
          .then(
              signal
                  .sendReliable(new Note("while-exhausted", 1))
                  .contextWrite(R2dbcTaskStore.transaction(held)))
          .then(Mono.from(held.commitTransaction()))
          .then(Mono.from(held.beginTransaction()))
          .block(Duration.ofSeconds(10));

      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("while-exhausted"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fixture.tasks().collectList().block().isEmpty());
      assertThat(appPool.getMetrics().orElseThrow().acquiredSize()).isEqualTo(1);
    } finally {
      Mono.from(held.rollbackTransaction()).then(Mono.from(held.close())).block();
    }
  }
}
