package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.Signal;
import dev.herald.fixtures.TestDatabase;
import dev.herald.testkit.Note;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Cross-process wakeups: NOTIFY through PgSubscriber, the polling fallback, listener reconnects.
 */
class VertxWakeupIT {

  private final VertxFixture fixture = new VertxFixture(VertxFixture.PIPELINED);
  private final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    fixture.close();
  }

  private void startReceiver(VertxTaskStore store, Duration poll) {
    Herald receiver =
        Herald.builder(store).options(HeraldOptions.builder().pollInterval(poll).build()).build();
    fixture.heralds().add(receiver);
    receiver
        .signal("orders.paid", Note.class)
        .connect("receipt", d -> Mono.fromRunnable(() -> delivered.add(d.payload().key())));
    receiver.start();
  }

  /**
   * Another process's sender: a separate Herald that never dispatches, so its commits wake no
   * dispatcher in memory.
   */
  private Signal<Note> otherProcess(VertxTaskStore store, NotifyMode mode) {
    Herald sender =
        Herald.builder(store).options(HeraldOptions.builder().notifyMode(mode).build()).build();
    Signal<Note> signal = sender.signal("orders.paid", Note.class);
    signal.connect("receipt", d -> Mono.never());
    return signal;
  }

  private void send(VertxTaskStore store, Signal<Note> signal, String key) {
    store.inTransaction(c -> signal.sendReliable(new Note(key, 1))).block(Duration.ofSeconds(10));
  }

  @Test
  void aReconnectedListenerCatchesUpOnTasksCommittedWithoutNotify() {
    startReceiver(fixture.entry(), Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.listenerPids().size() == 1);
    // The listener works and the start-up claims are over.
    send(fixture.entry(), otherProcess(fixture.entry(), NotifyMode.EVERY_TRANSACTION), "warm-up");
    await().atMost(Duration.ofSeconds(3)).until(() -> delivered.contains("warm-up"));
    // Let the dispatcher's one follow-up look after a notification (notify window, 100 ms) pass,
    // so that nothing but the reconnect can deliver the silent task.
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);

    send(fixture.entry(), otherProcess(fixture.entry(), NotifyMode.NONE), "silent");
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !delivered.contains("silent"));

    fixture.terminateBackend(fixture.listenerPids().get(0));

    // Nothing but the listener's catch-up wakeup after its reconnect can deliver it this soon.
    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains("silent"));
  }

  @Test
  void aStalledListenerConnectionIsReplacedOnceItsHeartbeatTimesOut() throws Exception {
    TestDatabase.Endpoint db = TestDatabase.endpoint();
    assumeTrue(
        InetAddress.getByName(db.host()).isLoopbackAddress(),
        "stalls the listener's backend with SIGSTOP: needs the server on this machine");
    VertxTaskStore store = fixture.builder().listenerHeartbeat(Duration.ofMillis(300)).build();
    startReceiver(store, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.listenerPids().size() == 1);
    int stalled = fixture.listenerPids().get(0);

    // A stopped backend keeps its socket open and answers nothing: a half-open connection. With
    // a 30 s poll, only a replacement listener (its NOTIFY, or its catch-up claim when it comes
    // up after the send) can deliver this task within the wait. Waiting on the delivery rather
    // than on pg_stat_activity: the new backend shows its LISTEN only until its first heartbeat.
    signal("STOP", stalled);
    try {
      send(store, otherProcess(store, NotifyMode.EVERY_TRANSACTION), "after-heartbeat");
      await().atMost(Duration.ofSeconds(15)).until(() -> delivered.contains("after-heartbeat"));
    } finally {
      signal("CONT", stalled);
    }
  }

  private static void signal(String signal, int pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }

  @Test
  void cancellingTheWakeupsClosesTheListenerConnection() {
    var wakeups = fixture.store().wakeups().subscribe();
    await().atMost(Duration.ofSeconds(10)).until(() -> fixture.listenerPids().size() == 1);

    wakeups.dispose();

    await().atMost(Duration.ofSeconds(5)).until(() -> fixture.listenerPids().isEmpty());
  }
}
