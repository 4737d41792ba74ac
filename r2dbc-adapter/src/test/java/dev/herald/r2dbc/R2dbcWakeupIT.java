package dev.herald.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.Signal;
import dev.herald.spi.TableName;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Cross-process wakeups: NOTIFY, the polling fallback, and listener reconnects. */
class R2dbcWakeupIT {

  private final R2dbcFixture fixture = new R2dbcFixture();
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  private void startReceiver(R2dbcTaskStore store, Duration poll) {
    Herald receiver =
        Herald.builder(store).options(HeraldOptions.builder().pollInterval(poll).build()).build();
    fixture.heralds().add(receiver);
    receiver
        .signal("orders.paid", Note.class)
        .connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    receiver.start();
  }

  /** Another process's sender: a separate Herald that never dispatches. */
  private Signal<Note> otherProcess(R2dbcTaskStore store, NotifyMode mode) {
    Herald sender =
        Herald.builder(store).options(HeraldOptions.builder().notifyMode(mode).build()).build();
    Signal<Note> signal = sender.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.never());
    return signal;
  }

  private List<Integer> listenerPids() {
    String channel = TableName.parse(fixture.table).channel();
    return fixture
        .query(
            "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN " + channel + "'",
            Integer.class)
        .collectList()
        .block();
  }

  @Test
  void notifyDeliversWithinASecondDespiteAThirtySecondPoll() {
    startReceiver(fixture.entry(), Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerPids().size() == 1);
    Signal<Note> sender = otherProcess(fixture.entry(), NotifyMode.RATE_LIMITED);

    fixture.entry().inTransaction(c -> sender.sendReliable(new Note("notified", 1))).block();

    await().atMost(Duration.ofSeconds(1)).until(() -> delivered.contains("notified"));
  }

  @Test
  void pollingDeliversWhenNotificationsAreOff() {
    R2dbcTaskStore quiet =
        R2dbcTaskStore.builder(R2dbcFixture.pool()).tableName(fixture.table).listen(false).build();
    startReceiver(quiet, Duration.ofMillis(300));
    Signal<Note> sender = otherProcess(quiet, NotifyMode.NONE);

    quiet.inTransaction(c -> sender.sendReliable(new Note("polled", 1))).block();

    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("polled"));
    assertThat(listenerPids()).isEmpty();
  }

  @Test
  void wakeupsResumeAfterTheListenerConnectionIsTerminated() {
    startReceiver(fixture.entry(), Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerPids().size() == 1);
    int first = listenerPids().get(0);

    fixture.execute("SELECT pg_terminate_backend(" + first + ")").block();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listenerPids().size() == 1 && listenerPids().get(0) != first);
    Signal<Note> sender = otherProcess(fixture.entry(), NotifyMode.EVERY_TRANSACTION);
    fixture.entry().inTransaction(c -> sender.sendReliable(new Note("after-reconnect", 1))).block();

    await().atMost(Duration.ofSeconds(2)).until(() -> delivered.contains("after-reconnect"));
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
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerPids().size() == 1);

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
