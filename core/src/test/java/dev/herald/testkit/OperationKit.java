package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokens;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * What the kit's groups per store operation share: rows written without a Herald, claimed, read
 * back and fenced by hand, so that each group calls its operation directly and checks the rows it
 * left.
 */
public interface OperationKit extends Kit {

  /** A lease no test outlives. */
  Duration LONG_LEASE = Duration.ofMinutes(5);

  /**
   * The store's operations.
   *
   * @return the operations under test
   */
  default TaskStore ops() {
    return fixture().store();
  }

  /**
   * Commits {@code n} ready tasks for one receiver of {@link #SIGNAL}.
   *
   * @param receiver the receiver
   * @param n how many
   */
  default void insert(String receiver, int n) {
    Flux.range(0, n)
        .concatMap(
            i -> fixture().insertRaw(SIGNAL, receiver, "{\"key\":\"k" + i + "\",\"n\":" + i + "}"))
        .blockLast(Duration.ofSeconds(30));
  }

  /**
   * Claims due tasks of one receiver for {@code owner}, with a long lease.
   *
   * @param owner the claiming node
   * @param receiver the receiver
   * @param limit at most this many
   * @return the claimed tasks, by id
   */
  default List<ClaimedTask> claim(String owner, String receiver, int limit) {
    return claim(owner, LONG_LEASE, new ClaimWant(SIGNAL, receiver, limit));
  }

  /**
   * Claims for {@code owner}.
   *
   * @param owner the claiming node
   * @param lease the lease
   * @param wants what to claim
   * @return the claimed tasks, by id
   */
  default List<ClaimedTask> claim(String owner, Duration lease, ClaimWant... wants) {
    List<ClaimedTask> claimed =
        ops()
            .taskClaimBatch(new TaskClaimBatchParams(owner, lease, List.of(wants)))
            .collectList()
            .block(Duration.ofSeconds(30));
    return claimed.stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
  }

  /**
   * Inserts one task for {@code receiver} and claims it as {@code owner}.
   *
   * @param owner the claiming node
   * @param receiver the receiver
   * @return the claimed task
   */
  default ClaimedTask claimOne(String owner, String receiver) {
    insert(receiver, 1);
    List<ClaimedTask> claimed = claim(owner, receiver, 1);
    assertThat(claimed).as("claimed").hasSize(1);
    return claimed.get(0);
  }

  /**
   * The tokens of claimed tasks.
   *
   * @param owner their owner
   * @param tasks the tasks
   * @return their tokens
   */
  default TaskTokens tokens(String owner, List<ClaimedTask> tasks) {
    return new TaskTokens(
        owner,
        tasks.stream().mapToLong(ClaimedTask::id).toArray(),
        tasks.stream().mapToInt(ClaimedTask::attempt).toArray());
  }

  /**
   * Tokens that no longer match a claim: another owner's, and the right owner's with another
   * attempt.
   *
   * @param owner the task's owner
   * @param task the claimed task
   * @return the two stale tokens
   */
  default List<TaskTokens> staleTokens(String owner, ClaimedTask task) {
    return List.of(
        new TaskTokens("someone-else", new long[] {task.id()}, new int[] {task.attempt()}),
        new TaskTokens(owner, new long[] {task.id()}, new int[] {task.attempt() + 1}));
  }

  /**
   * Dead-letters {@code n} new tasks of one receiver.
   *
   * @param receiver the receiver
   * @param n how many
   * @param lastError the reason recorded
   */
  default void insertDead(String receiver, int n, String lastError) {
    insert(receiver, n);
    for (ClaimedTask t : claim("undertaker", receiver, n)) {
      assertThat(
              ops()
                  .taskDeadLetter(
                      new TaskDeadLetterParams("undertaker", t.id(), t.attempt(), lastError))
                  .block())
          .isTrue();
    }
  }

  /**
   * Rows of one state, by id.
   *
   * @param state {@code ready} or {@code dead}
   * @param receiver only this receiver, or null
   * @return the rows
   */
  default List<TaskListRow> rows(String state, String receiver) {
    return ops()
        .taskList(new TaskListParams(state, SIGNAL, receiver, 0, 10_000))
        .collectList()
        .block(Duration.ofSeconds(30));
  }

  /**
   * One task's row, whatever its state.
   *
   * @param id the task
   * @return its row, or empty if it is gone
   */
  default Optional<TaskListRow> row(long id) {
    return Flux.concat(
            ops().taskList(new TaskListParams("ready", null, null, id - 1, 1)),
            ops().taskList(new TaskListParams("dead", null, null, id - 1, 1)))
        .filter(r -> r.id() == id)
        .next()
        .blockOptional(Duration.ofSeconds(30));
  }

  /**
   * The rows the dead-letter filters choose from: two dead tasks of receivers {@code a} and {@code
   * b} each, and one ready task of {@code a}.
   *
   * @return the dead tasks of {@code a} and the id of its ready one
   */
  default DeadAndReady deadAndReady() {
    insertDead("a", 2, "x");
    insertDead("b", 2, "x");
    insert("a", 1);
    return new DeadAndReady(rows("dead", "a"), rows("ready", "a").get(0).id());
  }

  /**
   * What {@link #deadAndReady()} wrote.
   *
   * @param deadA the dead tasks of receiver {@code a}, by id
   * @param readyA the id of its ready task
   */
  record DeadAndReady(List<TaskListRow> deadA, long readyA) {}
}
