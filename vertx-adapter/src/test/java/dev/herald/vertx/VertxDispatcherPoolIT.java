package dev.herald.vertx;

import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
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
class VertxDispatcherPoolIT {

  private final VertxFixture fixture = new VertxFixture(VertxFixture.SEQUENTIAL);
  private final Pool appPool = pool(1);
  private final Pool dispatcherPool = pool(2);
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
    Mono.fromCompletionStage(() -> appPool.close().toCompletionStage()).block();
    Mono.fromCompletionStage(() -> dispatcherPool.close().toCompletionStage()).block();
  }

  private static Pool pool(int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(VertxFixture.connectOptions(VertxFixture.SEQUENTIAL))
        .using(VertxFixture.vertx())
        .build();
  }

  @Test
  void aDispatcherOnItsOwnPoolDeliversWhileTheApplicationsPoolIsExhausted() {
    VertxTaskStore store =
        VertxTaskStore.builder(
                appPool, VertxFixture.vertx(), VertxFixture.connectOptions(VertxFixture.SEQUENTIAL))
            .tableName(fixture.table)
            .dispatcherPool(dispatcherPool)
            .build();
    Herald herald =
        Herald.builder(store)
            .options(HeraldOptions.builder().pollInterval(Duration.ofMillis(200)).build())
            .build();
    fixture.heralds().add(herald);
    Signal<Note> signal = herald.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    herald.start();

    // The application's only connection sends and commits, then stays checked out.
    SqlConnection held =
        Mono.fromCompletionStage(() -> appPool.getConnection().toCompletionStage())
            .block(Duration.ofSeconds(10));
    try {
      Mono.fromCompletionStage(() -> held.begin().toCompletionStage())
          .flatMap(
              tx ->
                  signal
                      .sendReliable(new Note("while-exhausted", 1))
                      .contextWrite(VertxTaskStore.transaction(held))
                      .then(Mono.fromCompletionStage(() -> tx.commit().toCompletionStage())))
          .block(Duration.ofSeconds(10));

      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("while-exhausted"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fixture.tasks().collectList().block().isEmpty());
    } finally {
      Mono.fromCompletionStage(() -> held.close().toCompletionStage()).block();
    }
  }
}
