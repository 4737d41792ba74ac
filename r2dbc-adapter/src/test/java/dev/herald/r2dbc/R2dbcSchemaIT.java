package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Schema installation and hostile input against real SQL. */
class R2dbcSchemaIT {

  private final R2dbcFixture fixture = new R2dbcFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void installSchemaIsIdempotentAndSafeToRunConcurrently() {
    Flux.range(0, 4)
        .flatMap(i -> fixture.store().installSchema())
        .then()
        .block(Duration.ofSeconds(30));
    assertThat(
            fixture
                .query(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = '" + fixture.table + "'",
                    Long.class)
                .blockFirst())
        .isEqualTo(3);
  }

  @Test
  void anInvalidTableNameIsRejectedWhenTheStoreIsBuilt() {
    assertThatThrownBy(
            () ->
                R2dbcTaskStore.builder(R2dbcFixture.pool())
                    .tableName("tasks; DROP TABLE x")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tableName must be a plain identifier")
        .hasMessageContaining("'tasks; DROP TABLE x'");
  }

  @Test
  void hostileSignalAndReceiverNamesAreStoredAsDataAndDelivered() {
    String signalName = "x'); DROP TABLE " + fixture.table + "; --";
    String receiverName = "r\"; DELETE FROM " + fixture.table + " WHERE 'a'='a";
    List<String> seen = new CopyOnWriteArrayList<>();
    Herald herald = fixture.herald();
    Signal<Note> signal = herald.signal(signalName, Note.class);
    signal.connect(
        receiverName, d -> Mono.fromRunnable(() -> seen.add(d.signal() + "|" + d.receiver())));
    herald.start();

    fixture.inTransaction(signal.sendReliable(new Note("'quoted' \"payload\"; --", 1))).block();

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    assertThat(seen).containsExactly(signalName + "|" + receiverName);
    // Acknowledged (deleted) in a batch shortly after the receiver completed.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fixture.query("SELECT count(*) FROM " + fixture.table, Long.class).blockFirst()
                    == 0);
  }
}
