package dev.herald.testkit;

import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.ReceiverListRow;
import dev.herald.spi.ReceiverRegisterParams;
import dev.herald.spi.ReceiverRetireParams;
import dev.herald.spi.RotatedGeneration;
import dev.herald.spi.SenderTransaction;
import dev.herald.spi.TaskCancelParams;
import dev.herald.spi.TaskClaimBatchParams;
import dev.herald.spi.TaskCompleteManyParams;
import dev.herald.spi.TaskCountReadyRow;
import dev.herald.spi.TaskDeadLetterParams;
import dev.herald.spi.TaskDeadLetterReadyParams;
import dev.herald.spi.TaskExpireParams;
import dev.herald.spi.TaskExtendLeaseParams;
import dev.herald.spi.TaskFindParams;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskNotifyParams;
import dev.herald.spi.TaskPurgeParams;
import dev.herald.spi.TaskReleaseOwnedParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskRequeueParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskRotateParams;
import dev.herald.spi.TaskStatsParams;
import dev.herald.spi.TaskStatsRow;
import dev.herald.spi.TaskStore;
import dev.herald.spi.Wakeup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.ContextView;

/**
 * A store that delegates to the store under test, and can hold back, slow down or fail the
 * dispatcher's calls: the interleavings the pressure tests need, made on purpose.
 */
public final class ControlledStore implements TaskStore {

  private final TaskStore store;

  private volatile Duration claimDelay = Duration.ZERO;
  private volatile Sinks.Empty<Void> claimGate;
  private final AtomicInteger claimsHeld = new AtomicInteger();
  private final AtomicInteger claimsAnswered = new AtomicInteger();
  private volatile Duration completeDelay = Duration.ZERO;
  private volatile boolean failCompletes;
  private volatile boolean failExtends;
  private final AtomicInteger completeCalls = new AtomicInteger();
  private final AtomicInteger completeFailures = new AtomicInteger();
  private final AtomicInteger largestComplete = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger maxOutstanding = new AtomicInteger();
  private final List<SentWant> wants = new CopyOnWriteArrayList<>();
  private final List<ClaimedTask> claimedTasks = new CopyOnWriteArrayList<>();

  /**
   * A want of a claim as the dispatcher sent it, with every task claimed through this store before
   * it was sent.
   *
   * @param want the want
   * @param claimedBefore the tasks claimed earlier
   */
  public record SentWant(ClaimWant want, List<ClaimedTask> claimedBefore) {}

  /**
   * Wraps a store.
   *
   * @param store the store under test
   */
  public ControlledStore(TaskStore store) {
    this.store = store;
  }

  /** Claims run, then wait this long before answering. */
  public ControlledStore delayClaims(Duration delay) {
    this.claimDelay = delay;
    return this;
  }

  /** Claims that find tasks run, then hold their answer until {@link #openClaims()}. */
  public ControlledStore holdClaims() {
    this.claimGate = Sinks.empty();
    return this;
  }

  /** Lets held claims answer, and later ones answer at once. */
  public void openClaims() {
    Sinks.Empty<Void> gate = claimGate;
    claimGate = null;
    if (gate != null) {
      gate.tryEmitEmpty();
    }
  }

  /** Claims whose statement returned, held back or not; for failure messages. */
  public int claimsAnswered() {
    return claimsAnswered.get();
  }

  /** Tasks claimed through this store so far; for failure messages. */
  public int tasksClaimed() {
    return claimedTasks.size();
  }

  /** Claims that ran and wait for {@link #openClaims()}. */
  public int claimsHeld() {
    return claimsHeld.get();
  }

  /** Acknowledgements wait this long before they run. */
  public ControlledStore delayCompletes(Duration delay) {
    this.completeDelay = delay;
    return this;
  }

  /** Acknowledgements fail (without running) while true. */
  public ControlledStore failCompletes(boolean fail) {
    this.failCompletes = fail;
    return this;
  }

  /** Lease extensions fail (without running) while true. */
  public ControlledStore failExtends(boolean fail) {
    this.failExtends = fail;
    return this;
  }

  /** Acknowledgement statements attempted so far (including failed ones). */
  public int completeCalls() {
    return completeCalls.get();
  }

  /** Acknowledgement statements failed on purpose so far. */
  public int completeFailures() {
    return completeFailures.get();
  }

  /** The most tasks one acknowledgement statement carried so far. */
  public int largestComplete() {
    return largestComplete.get();
  }

  /**
   * The most tasks claimed through this store and not yet acknowledged or released at any moment
   * (counted when the store answers): what a dispatcher held, for flows without retries.
   */
  public int maxOutstanding() {
    return maxOutstanding.get();
  }

  /** Every want of every claim so far, in the order they were sent. */
  public List<SentWant> wants() {
    return List.copyOf(wants);
  }

  private void outstanding(int delta) {
    maxOutstanding.accumulateAndGet(outstanding.addAndGet(delta), Math::max);
  }

  @Override
  public Flux<ClaimedTask> taskClaimBatch(TaskClaimBatchParams params) {
    // The controls are read when the claim has run, not when it was subscribed: a claim planned
    // before the test set them but answered after is controlled too.
    return Flux.defer(
            () -> {
              List<ClaimedTask> before = List.copyOf(claimedTasks);
              params.wants().forEach(w -> wants.add(new SentWant(w, before)));
              return store.taskClaimBatch(params);
            })
        .doOnNext(
            t -> {
              claimedTasks.add(t);
              outstanding(1);
            })
        .collectList()
        .flatMap(
            tasks -> {
              claimsAnswered.incrementAndGet();
              Sinks.Empty<Void> gate = claimGate;
              Duration delay = claimDelay;
              if (gate != null && !tasks.isEmpty()) {
                claimsHeld.incrementAndGet();
                return gate.asMono().doFinally(s -> claimsHeld.decrementAndGet()).thenReturn(tasks);
              }
              return delay.isZero() ? Mono.just(tasks) : Mono.just(tasks).delayElement(delay);
            })
        .flatMapIterable(tasks -> tasks);
  }

  @Override
  public Flux<Long> taskCompleteMany(TaskCompleteManyParams params) {
    return Flux.defer(
        () -> {
          completeCalls.incrementAndGet();
          largestComplete.accumulateAndGet(params.tokens().ids().length, Math::max);
          if (failCompletes) {
            completeFailures.incrementAndGet();
            return Flux.error(new IllegalStateException("acknowledgement failed on purpose"));
          }
          Duration delay = completeDelay;
          Flux<Long> complete = store.taskCompleteMany(params).doOnNext(id -> outstanding(-1));
          return delay.isZero() ? complete : Mono.delay(delay).thenMany(complete);
        });
  }

  @Override
  public Flux<Long> taskExtendLease(TaskExtendLeaseParams params) {
    return Flux.defer(
        () ->
            failExtends
                ? Flux.error(new IllegalStateException("lease extension failed on purpose"))
                : store.taskExtendLease(params));
  }

  @Override
  public Mono<Void> installSchema() {
    return store.installSchema();
  }

  @Override
  public Mono<SenderTransaction> senderTransaction(ContextView context, String signal) {
    return store.senderTransaction(context, signal);
  }

  @Override
  public Mono<Boolean> taskRetryLater(TaskRetryLaterParams params) {
    return store.taskRetryLater(params);
  }

  @Override
  public Mono<Boolean> taskDeadLetter(TaskDeadLetterParams params) {
    return store.taskDeadLetter(params);
  }

  @Override
  public Flux<Long> taskRelease(TaskReleaseParams params) {
    return store.taskRelease(params).doOnNext(id -> outstanding(-1));
  }

  @Override
  public Mono<Long> taskReleaseOwned(TaskReleaseOwnedParams params) {
    return store.taskReleaseOwned(params);
  }

  @Override
  public Mono<Void> taskNotify(TaskNotifyParams params) {
    return store.taskNotify(params);
  }

  @Override
  public Flux<TaskListRow> taskList(TaskListParams params) {
    return store.taskList(params);
  }

  @Override
  public Flux<TaskListRow> taskFind(TaskFindParams params) {
    return store.taskFind(params);
  }

  @Override
  public Flux<TaskCountReadyRow> taskCountReady() {
    return store.taskCountReady();
  }

  @Override
  public Flux<TaskStatsRow> taskStats(TaskStatsParams params) {
    return store.taskStats(params);
  }

  @Override
  public Mono<Long> taskRequeue(TaskRequeueParams params) {
    return store.taskRequeue(params);
  }

  @Override
  public Mono<Long> taskPurge(TaskPurgeParams params) {
    return store.taskPurge(params);
  }

  @Override
  public Mono<Long> taskDeadLetterReady(TaskDeadLetterReadyParams params) {
    return store.taskDeadLetterReady(params);
  }

  @Override
  public Mono<Long> taskExpire(TaskExpireParams params) {
    return store.taskExpire(params);
  }

  @Override
  public Flux<Long> taskCancel(TaskCancelParams params) {
    return store.taskCancel(params);
  }

  @Override
  public Mono<Void> receiverRegister(ReceiverRegisterParams params) {
    return store.receiverRegister(params);
  }

  @Override
  public Mono<Boolean> receiverRetire(ReceiverRetireParams params) {
    return store.receiverRetire(params);
  }

  @Override
  public Flux<ReceiverListRow> receiverList() {
    return store.receiverList();
  }

  @Override
  public Flux<RotatedGeneration> taskRotate(TaskRotateParams params) {
    return store.taskRotate(params);
  }

  @Override
  public Flux<Wakeup> wakeups() {
    return store.wakeups();
  }

  @Override
  public String channel() {
    return store.channel();
  }
}
