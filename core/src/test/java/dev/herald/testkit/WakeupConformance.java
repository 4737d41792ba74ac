package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.Signal;
import dev.herald.spi.TaskStore;
import dev.herald.spi.Wakeup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code taskNotify} and {@code wakeups}, no lost wakeups: every committed send wakes the
 * dispatchers of other processes well before their poll, however close together the commits, and a
 * rolled-back send never silences the next one. The dispatcher here polls every 30 s, so a delivery
 * within a few seconds was woken.
 */
public interface WakeupConformance extends Kit {

  Duration WOKEN = Duration.ofSeconds(5);

  @Test
  default void commitsWithinOneNotifyWindowAllWakeAnotherProcessesDispatcher() {
    Recorder rec = new Recorder();
    Signal<Note> sender = senderProcess();
    dispatcherProcess(rec);

    for (int i = 0; i < 3; i++) {
      fixture().inTransaction(sender.sendReliable(new Note("w" + i, i))).block();
      int expected = i + 1;
      eventually().atMost(WOKEN).until(() -> rec.calls().size() == expected);
    }
    // Two more inside one notify window: the second rides on a trailing notification.
    fixture().inTransaction(sender.sendReliable(new Note("w3", 3))).block();
    fixture().inTransaction(sender.sendReliable(new Note("w4", 4))).block();
    eventually().atMost(WOKEN).until(() -> rec.calls().size() == 5);
  }

  @Test
  default void aRolledBackSendDoesNotSilenceTheNextCommit() {
    Recorder rec = new Recorder();
    Signal<Note> sender = senderProcess();
    dispatcherProcess(rec);
    fixture().inTransaction(sender.sendReliable(new Note("warm-up", 0))).block();
    eventually().atMost(WOKEN).until(() -> rec.calls().size() == 1);

    StepVerifier.create(
            fixture()
                .inTransaction(
                    sender
                        .sendReliable(new Note("rolled-back", 1))
                        .then(Mono.error(new IllegalStateException("rolled back")))))
        .expectError(IllegalStateException.class)
        .verify();
    fixture().inTransaction(sender.sendReliable(new Note("committed", 2))).block();

    eventually().atMost(WOKEN).until(() -> rec.calls().size() == 2);
    assertThat(rec.calls()).extracting(Recorder.Call::key).containsExactly("warm-up", "committed");
  }

  @Test
  default void aNotifyDeliversWithinSecondsDespiteAThirtySecondPoll() {
    SqlStoreFixture sql = SqlStoreFixture.require(fixture());
    Recorder rec = new Recorder();
    dispatcherProcess(rec);
    eventually().until(() -> sql.listenerPids().size() == 1);
    Signal<Note> sender = senderProcess(o -> o.notifyMode(NotifyMode.RATE_LIMITED));

    fixture().inTransaction(sender.sendReliable(new Note("notified", 1))).block();

    eventually().atMost(Duration.ofSeconds(3)).until(() -> rec.calls().size() == 1);
  }

  @Test
  default void aStoreThatDoesNotListenHasNoListenerAndIsDeliveredByPolling() {
    SqlStoreFixture sql = SqlStoreFixture.require(fixture());
    Recorder rec = new Recorder();
    TaskStore quiet = sql.storeWithoutListener();
    Herald dispatcher = fixture().herald(quiet, o -> o.pollInterval(Duration.ofMillis(300)));
    dispatcher.signal(SIGNAL, Note.class).connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    dispatcher.start();
    Herald sender = fixture().herald(quiet, o -> o.notifyMode(NotifyMode.NONE));
    Signal<Note> signal = sender.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.error(new AssertionError("the sender never dispatches")));

    fixture().inTransaction(signal.sendReliable(new Note("polled", 1))).block();

    eventually().atMost(WOKEN).until(() -> rec.calls().size() == 1);
    assertThat(sql.listenerPids()).isEmpty();
  }

  @Test
  default void wakeupsResumeAfterTheListenerConnectionIsTerminated() {
    SqlStoreFixture sql = SqlStoreFixture.require(fixture());
    Recorder rec = new Recorder();
    Herald dispatcher = dispatcherProcess(rec);
    eventually().until(() -> sql.listenerPids().size() == 1 && dispatcher.listening());
    int first = sql.listenerPids().get(0);
    List<Wakeup> seen = new CopyOnWriteArrayList<>();
    Disposable watching = fixture().store().wakeups().subscribe(seen::add);
    eventually().until(() -> sql.listenerPids().size() == 2);
    int watcher = sql.listenerPids().stream().filter(p -> p != first).findFirst().orElseThrow();

    sql.terminateBackend(first);
    sql.terminateBackend(watcher);
    eventually().until(() -> sql.listenerPids().size() == 2 && !sql.listenerPids().contains(first));
    eventually().until(() -> seen.equals(List.of(Wakeup.LISTENING, Wakeup.LOST, Wakeup.LISTENING)));
    watching.dispose();
    eventually().until(dispatcher::listening);
    Signal<Note> sender = senderProcess(o -> o.notifyMode(NotifyMode.EVERY_TRANSACTION));
    fixture().inTransaction(sender.sendReliable(new Note("after-reconnect", 1))).block();

    eventually().atMost(Duration.ofSeconds(3)).until(() -> rec.calls().size() == 1);
    dispatcher.close().block();
    assertThat(dispatcher.listening()).isFalse();
  }

  /** A process that only sends: its Herald knows the receiver but never dispatches. */
  private Signal<Note> senderProcess() {
    return senderProcess(UnaryOperator.identity());
  }

  private Signal<Note> senderProcess(UnaryOperator<HeraldOptions.Builder> tune) {
    Herald sender = fixture().herald(tune);
    Signal<Note> signal = sender.signal(SIGNAL, Note.class);
    signal.connect("r", d -> Mono.error(new AssertionError("the sender never dispatches")));
    return signal;
  }

  private Herald dispatcherProcess(Recorder rec) {
    Herald dispatcher = fixture().herald(o -> o.pollInterval(Duration.ofSeconds(30)));
    dispatcher.signal(SIGNAL, Note.class).connect("r", d -> Mono.fromRunnable(() -> rec.called(d)));
    return dispatcher.start();
  }
}
