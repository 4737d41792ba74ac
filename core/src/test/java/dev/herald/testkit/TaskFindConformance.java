package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.Herald;
import dev.herald.SendOptions;
import dev.herald.SendReceipt;
import dev.herald.Signal;
import dev.herald.TaskInfo;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.DeadTaskFilter;
import dev.herald.spi.TaskCompleteManyParams;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskFindParams;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskRequeueParams;
import dev.herald.spi.TaskRetryLaterParams;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code taskFind}: tasks by id and by one signal's dedupe key, in every state (ready, running,
 * scheduled for a retry, dead, kept after completion), whether or not the key is still pending;
 * each task once, newest first, at most the limit; other signals' and other keys' tasks never.
 */
public interface TaskFindConformance extends OperationKit {

  /** The key of {@link #oneTaskPerState()}. */
  String KEY = "order-42";

  /**
   * The tasks of one send with {@link #KEY}, one per receiver, each receiver named after the state
   * its task was left in.
   *
   * @param herald the Herald that sent them
   * @param signal the signal, whose receivers are declared
   * @param ids the task ids by receiver
   * @param otherKey the task ids of a send of the same signal with another key, by receiver
   * @param otherSignal the id of a task of another signal with the same key
   */
  record States(
      Herald herald,
      Signal<Note> signal,
      Map<String, Long> ids,
      Map<String, Long> otherKey,
      long otherSignal) {}

  private SendReceipt send(Signal<Note> signal, String key, int n) {
    return fixture()
        .inTransaction(signal.sendReliable(new Note(key, n), SendOptions.dedupeKey(key)))
        .block(Duration.ofSeconds(30));
  }

  /**
   * One send with {@link #KEY} to five receivers, whose tasks are then left ready, running (leased
   * by {@code node-a}), waiting an hour to retry, dead and completed with a kept copy; and a later
   * send of another key, and one of another signal with the same key (all left ready).
   *
   * @return what was written
   */
  default States oneTaskPerState() {
    Herald herald = fixture().herald();
    Signal<Note> signal =
        herald
            .signal(SIGNAL, Note.class)
            .declare("ready")
            .declare("running")
            .declare("retrying")
            .declare("dead")
            .declare("done");
    Signal<Note> other = herald.signal("kit.other", Note.class).declare("ready");
    SendReceipt sent = send(signal, KEY, 1);
    Map<String, Long> otherKey = send(signal, "order-43", 2).taskIds();
    long otherSignal = send(other, KEY, 3).taskId("ready");

    claim("node-a", "running", 1);
    ClaimedTask retrying = claim("node-a", "retrying", 1).get(0);
    assertThat(
            ops()
                .taskRetryLater(
                    new TaskRetryLaterParams(
                        "node-a",
                        retrying.id(),
                        retrying.attempt(),
                        Duration.ofHours(1),
                        "crm timed out"))
                .block(Duration.ofSeconds(30)))
        .isTrue();
    ClaimedTask dead = claim("node-a", "dead", 1).get(0);
    assertThat(
            ops()
                .taskDeadLetter(
                    new TaskDeadLetterParams("node-a", dead.id(), dead.attempt(), "mailbox full"))
                .block(Duration.ofSeconds(30)))
        .isTrue();
    List<ClaimedTask> done = claim("node-a", "done", 1);
    assertThat(
            ops()
                .taskCompleteMany(new TaskCompleteManyParams(tokens("node-a", done), true))
                .collectList()
                .block(Duration.ofSeconds(30)))
        .hasSize(1);
    return new States(herald, signal, sent.taskIds(), otherKey, otherSignal);
  }

  @Test
  default void findsEveryTaskOfAKeyWhateverItsStateNewestFirst() {
    States s = oneTaskPerState();

    List<TaskInfo> found = s.herald().findTasks(SIGNAL, KEY, 10).collectList().block();

    assertThat(found)
        .extracting(TaskInfo::id)
        .as("newest first, the key's tasks only")
        .isSortedAccordingTo(Comparator.reverseOrder())
        .containsExactlyInAnyOrderElementsOf(s.ids().values());
    assertThat(found)
        .allSatisfy(
            t -> {
              assertThat(t.signal()).isEqualTo(SIGNAL);
              assertThat(t.dedupeKey()).isEqualTo(KEY);
              assertThat(t.payload()).contains(KEY);
              assertThat(t.createdAt()).isNotNull();
            });
    Map<String, TaskInfo> by =
        found.stream().collect(Collectors.toMap(TaskInfo::receiver, Function.identity()));
    Instant now = Instant.now();
    assertThat(by.get("ready"))
        .extracting(TaskInfo::state, TaskInfo::attempt, TaskInfo::leasedBy, TaskInfo::lastError)
        .containsExactly("ready", 0, null, null);
    assertThat(by.get("running"))
        .extracting(TaskInfo::state, TaskInfo::attempt, TaskInfo::leasedBy)
        .containsExactly("ready", 1, "node-a");
    assertThat(by.get("running").leasedUntil()).as("leased ahead").isAfter(now);
    assertThat(by.get("retrying"))
        .extracting(TaskInfo::state, TaskInfo::attempt, TaskInfo::leasedBy, TaskInfo::lastError)
        .containsExactly("ready", 1, null, "crm timed out");
    assertThat(by.get("retrying").runAt()).as("scheduled").isAfter(now.plusSeconds(1800));
    assertThat(by.get("dead"))
        .extracting(TaskInfo::state, TaskInfo::leasedBy, TaskInfo::lastError)
        .containsExactly("dead", null, "mailbox full");
    assertThat(by.get("done"))
        .extracting(TaskInfo::state, TaskInfo::attempt, TaskInfo::leasedBy, TaskInfo::leasedUntil)
        .containsExactly("done", 1, null, null);
    assertThat(rows("dead", "dead"))
        .as("lists carry the key too")
        .singleElement()
        .extracting(TaskListRow::dedupeKey)
        .isEqualTo(KEY);
  }

  @Test
  default void aKeyNoLongerPendingStillFindsItsTasksAndThoseSentWithItAgain() {
    States s = oneTaskPerState();
    // The dead letter and the completed task gave the key back: a new send writes their receivers'
    // tasks again, and the requeued dead letter runs without the key.
    SendReceipt again = send(s.signal(), KEY, 4);
    assertThat(again.taskIds()).containsOnlyKeys("dead", "done");
    assertThat(
            ops()
                .taskRequeue(
                    new TaskRequeueParams(
                        new DeadTaskFilter(new long[] {s.ids().get("dead")}, null, null)))
                .block(Duration.ofSeconds(30)))
        .isEqualTo(1);

    List<TaskInfo> found = s.herald().findTasks(SIGNAL, KEY, 10).collectList().block();

    assertThat(found).hasSize(7);
    assertThat(found.subList(0, 2))
        .extracting(TaskInfo::id)
        .as("the new send's tasks are the newest")
        .containsExactlyInAnyOrderElementsOf(again.taskIds().values());
    assertThat(found)
        .filteredOn(t -> t.id() == s.ids().get("dead"))
        .singleElement()
        .extracting(TaskInfo::state, TaskInfo::attempt)
        .containsExactly("ready", 0);
  }

  @Test
  default void findsAtMostTheLimitAndNothingOfOtherKeysOrSignals() {
    States s = oneTaskPerState();
    Herald herald = s.herald();

    List<Long> newest = s.ids().values().stream().sorted(Comparator.reverseOrder()).toList();
    assertThat(herald.findTasks(SIGNAL, KEY, 2).map(TaskInfo::id).collectList().block())
        .containsExactlyElementsOf(newest.subList(0, 2));
    assertThat(herald.findTasks(SIGNAL, "order-43", 10).map(TaskInfo::id).collectList().block())
        .containsExactlyInAnyOrderElementsOf(s.otherKey().values());
    assertThat(herald.findTasks("kit.other", KEY, 10).map(TaskInfo::id).collectList().block())
        .containsExactly(s.otherSignal());
    assertThat(herald.findTasks(SIGNAL, "order-44", 10).collectList().block()).isEmpty();
    assertThat(herald.findTasks("kit.none", KEY, 10).collectList().block()).isEmpty();
    assertThatThrownBy(() -> herald.findTasks(SIGNAL, KEY, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 1, but was 0");
    assertThatThrownBy(() -> herald.findTasks(SIGNAL, " ", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dedupeKey must be 1 to 200 characters");
  }

  @Test
  default void findsOneTaskByIdInEveryState() {
    States s = oneTaskPerState();
    Herald herald = s.herald();

    s.ids()
        .forEach(
            (receiver, id) ->
                assertThat(herald.findTask(id).block())
                    .as(receiver)
                    .extracting(TaskInfo::id, TaskInfo::receiver, TaskInfo::dedupeKey)
                    .containsExactly(id, receiver, KEY));
    assertThat(herald.findTask(s.ids().get("done")).block().state()).isEqualTo("done");
    assertThat(herald.findTask(s.ids().get("dead")).block().state()).isEqualTo("dead");
    assertThat(herald.findTask(s.otherSignal()).block().signal()).isEqualTo("kit.other");
    assertThat(herald.findTask(Long.MAX_VALUE).blockOptional()).isEmpty();
    assertThat(herald.findTask(0).blockOptional()).isEmpty();
  }

  @Test
  default void idsAndAKeyTogetherFindEachTaskOnce() {
    States s = oneTaskPerState();

    List<TaskListRow> found =
        ops()
            .taskFind(
                new TaskFindParams(
                    new long[] {s.ids().get("ready"), s.ids().get("done"), s.otherSignal()},
                    SIGNAL,
                    KEY,
                    10))
            .collectList()
            .block(Duration.ofSeconds(30));

    assertThat(found)
        .extracting(TaskListRow::id)
        .isSortedAccordingTo(Comparator.reverseOrder())
        .doesNotHaveDuplicates()
        .hasSize(6)
        .contains(s.otherSignal());
    assertThat(ops().taskFind(new TaskFindParams(new long[0], null, null, 5)).collectList().block())
        .isEmpty();
    assertThatThrownBy(() -> new TaskFindParams(new long[0], SIGNAL, null, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("signal and dedupeKey go together: " + SIGNAL);
  }
}
