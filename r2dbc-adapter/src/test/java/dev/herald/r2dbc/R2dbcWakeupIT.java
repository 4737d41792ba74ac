package dev.herald.r2dbc;

import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.Signal;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Wakeups only the R2DBC store has: a bare connection's commit, which Herald cannot observe,
 * carries its NOTIFY inside the transaction (the kit's WakeupConformance covers the rest).
 */
class R2dbcWakeupIT {

  private final R2dbcFixture fixture = new R2dbcFixture();
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void explicitConnectionCommitsCloseTogetherBothWakeThisProcess() {
    // The commit of a bare connection cannot be observed: its NOTIFY travels inside the
    // transaction, every time, and reaches this process's own listener too.
    Herald node =
        Herald.builder(fixture.entry())
            .options(HeraldOptions.builder().pollInterval(Duration.ofSeconds(30)).build())
            .build();
    fixture.heralds().add(node);
    Signal<Note> signal = node.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    node.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.listenerPids().size() == 1);

    for (String key : List.of("first", "second")) {
      commitOnBareConnection(signal, key);
      await().atMost(Duration.ofSeconds(2)).until(() -> delivered.contains(key));
    }
  }

  private void commitOnBareConnection(Signal<Note> signal, String key) {
    Mono.usingWhen(
            Mono.from(R2dbcFixture.pool().create()),
            conn ->
                Mono.from(conn.beginTransaction())
                    .then(
                        signal
                            .sendReliable(new Note(key, 1))
                            .contextWrite(R2dbcTaskStore.transaction(conn)))
                    .then(Mono.from(conn.commitTransaction())),
            conn -> Mono.from(conn.close()))
        .block();
  }
}
