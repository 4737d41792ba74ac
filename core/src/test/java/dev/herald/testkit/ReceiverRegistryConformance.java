package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.Herald;
import dev.herald.NoReceiverException;
import dev.herald.ReceiverBacklog;
import dev.herald.RegisteredReceiver;
import dev.herald.SendOptions;
import dev.herald.SendReceipt;
import dev.herald.Signal;
import dev.herald.spi.TaskListRow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@code receiverRegister}, {@code receiverRetire} and {@code receiverList}: fan-out that follows
 * the fleet. A send writes a task for every receiver of its signal known to the deployment (run or
 * declared by the sender, or registered by any running node), fails when none is known anywhere,
 * and a retired receiver gets no new tasks while its old ones stay.
 */
public interface ReceiverRegistryConformance extends Kit {

  private static boolean registered(Herald herald, String receiver) {
    return herald
        .receivers()
        .map(RegisteredReceiver::receiver)
        .collectList()
        .block()
        .contains(receiver);
  }

  @Test
  default void aSendWritesTasksForReceiversThatOtherNodesRegistered() {
    Recorder rec = new Recorder();
    Herald worker = fixture().herald();
    worker.signal(SIGNAL, Note.class).connect("email", d -> Mono.fromRunnable(() -> rec.called(d)));
    worker.start();
    eventually().until(() -> registered(worker, "email"));
    RegisteredReceiver entry = worker.receivers().blockFirst();
    assertThat(entry.signal()).isEqualTo(SIGNAL);
    assertThat(entry.lastSeenBy()).isEqualTo(worker.nodeId());

    Herald web = fixture().herald();
    Signal<Note> signal = web.signal(SIGNAL, Note.class);
    web.start();
    SendReceipt receipt =
        fixture().inTransaction(signal.sendReliable(new Note("k", 1), SendOptions.none())).block();

    assertThat(receipt.taskIds()).containsOnlyKeys("email");
    eventually().until(() -> rec.calls("email", "k").size() == 1);
    assertThat(rec.calls("email", "k").get(0).taskId()).isEqualTo(receipt.taskId("email"));
  }

  @Test
  default void aDeclaredReceiverGetsTasksBeforeAnyNodeRunsIt() {
    Herald web = fixture().herald();
    Signal<Note> signal = web.signal(SIGNAL, Note.class).declare("email");
    // Not started: a declaring node needs no dispatcher to write the declared receiver's tasks.
    SendReceipt receipt =
        fixture()
            .inTransaction(signal.sendReliable(new Note("early", 1), SendOptions.none()))
            .block();
    assertThat(receipt.taskIds()).containsOnlyKeys("email");

    Recorder rec = new Recorder();
    Herald worker = fixture().herald();
    worker.signal(SIGNAL, Note.class).connect("email", d -> Mono.fromRunnable(() -> rec.called(d)));
    worker.start();
    eventually().until(() -> rec.calls("email", "early").size() == 1);
  }

  @Test
  default void aReceiverRunHereAndRegisteredElsewhereGetsOneTask() {
    Herald other = fixture().herald();
    other.signal(SIGNAL, Note.class).connect("audit", d -> Mono.never());
    other.start();
    eventually().until(() -> registered(other, "audit"));
    other.close().block(Duration.ofSeconds(30));

    Herald node = fixture().herald();
    Signal<Note> signal = node.signal(SIGNAL, Note.class).declare("audit");
    SendReceipt receipt =
        fixture()
            .inTransaction(signal.sendReliable(new Note("once", 1), SendOptions.none()))
            .block();

    assertThat(receipt.taskIds()).containsOnlyKeys("audit");
    assertThat(fixture().tasks().collectList().block())
        .extracting(TaskListRow::receiver)
        .containsExactly("audit");
  }

  @Test
  default void aSendWithNoReceiverAnywhereFailsWritesNothingAndLeavesTheTransactionUsable() {
    Herald node = fixture().herald();
    Signal<Note> unheard = node.signal("kit.unheard", Note.class);
    Signal<Note> heard = node.signal(SIGNAL, Note.class).declare("audit");
    AtomicReference<Throwable> failure = new AtomicReference<>();

    fixture()
        .inTransaction(
            unheard
                .sendReliable(new Note("lost", 1))
                .onErrorResume(
                    e -> {
                      failure.set(e);
                      return Mono.empty();
                    })
                .then(heard.sendReliable(new Note("kept", 2))))
        .block();

    assertThat(failure.get())
        .isInstanceOf(NoReceiverException.class)
        .hasMessageContaining("sendReliable(kit.unheard) found no receiver")
        .hasMessageContaining("allowNoReceivers");
    assertThat(((NoReceiverException) failure.get()).signal()).isEqualTo("kit.unheard");
    assertThat(fixture().tasks().collectList().block())
        .extracting(TaskListRow::signal, TaskListRow::receiver)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(SIGNAL, "audit"));
  }

  @Test
  default void aSignalAllowedNoReceiversSendsNothingWithoutError() {
    Herald node = fixture().herald();
    Signal<Note> optional = node.signal("kit.optional", Note.class).allowNoReceivers();

    SendReceipt receipt =
        fixture()
            .inTransaction(optional.sendReliable(new Note("x", 1), SendOptions.none()))
            .block();

    assertThat(receipt.taskIds()).isEmpty();
    assertThat(fixture().tasks().collectList().block()).isEmpty();
  }

  @Test
  default void aRetiredReceiverGetsNoNewTasksAndItsOldOnesStay() {
    Herald old = fixture().herald();
    old.signal(SIGNAL, Note.class).connect("legacy", d -> Mono.never());
    old.start();
    eventually().until(() -> registered(old, "legacy"));
    old.close().block(Duration.ofSeconds(30));

    Herald node = fixture().herald();
    Signal<Note> signal = node.signal(SIGNAL, Note.class).declare("current");
    fixture().inTransaction(signal.sendReliable(new Note("before", 1))).block();
    assertThatThrownBy(() -> node.retireReceiver(SIGNAL, "current").block())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connected or declared here");

    assertThat(node.retireReceiver(SIGNAL, "legacy").block()).isTrue();
    assertThat(node.retireReceiver(SIGNAL, "legacy").block()).isFalse();
    fixture().inTransaction(signal.sendReliable(new Note("after", 2))).block();

    List<TaskListRow> tasks = fixture().tasks().collectList().block();
    assertThat(tasks)
        .extracting(TaskListRow::receiver)
        .containsExactlyInAnyOrder("legacy", "current", "current");
    assertThat(node.receivers().collectList().block()).isEmpty();
    assertThat(node.backlog().collectList().block())
        .contains(new ReceiverBacklog(SIGNAL, "legacy", 1, false));
    assertThat(node.deadLetterReady(SIGNAL, "legacy").block()).isEqualTo(1);
  }

  @Test
  default void declaringTwiceOrDeclaringAConnectedReceiverFailsNamingIt() {
    Herald node = fixture().herald();
    Signal<Note> signal = node.signal(SIGNAL, Note.class).declare("a");
    signal.connect("b", d -> Mono.empty());
    assertThatThrownBy(() -> signal.declare("a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver 'a' is already declared for signal 'kit.note'");
    assertThatThrownBy(() -> signal.declare("b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver 'b' is already connected for signal 'kit.note'");
    assertThatThrownBy(() -> signal.connect("a", d -> Mono.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver 'a' is already declared");
    node.start();
    assertThatThrownBy(() -> signal.declare("c"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declare receivers before start()");
  }
}
