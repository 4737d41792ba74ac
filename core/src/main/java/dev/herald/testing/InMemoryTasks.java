package dev.herald.testing;

import dev.herald.NoTransactionException;
import dev.herald.spi.ClaimWant;
import dev.herald.spi.ClaimedTask;
import dev.herald.spi.DeadTaskFilter;
import dev.herald.spi.ReceiverKey;
import dev.herald.spi.ReceiverListRow;
import dev.herald.spi.ReceiverRegisterParams;
import dev.herald.spi.ReceiverRetireParams;
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
import dev.herald.spi.TaskInsertManyParams;
import dev.herald.spi.TaskListParams;
import dev.herald.spi.TaskListRow;
import dev.herald.spi.TaskNotifyParams;
import dev.herald.spi.TaskPurgeParams;
import dev.herald.spi.TaskReleaseOwnedParams;
import dev.herald.spi.TaskReleaseParams;
import dev.herald.spi.TaskRequeueParams;
import dev.herald.spi.TaskRetryLaterParams;
import dev.herald.spi.TaskStatsParams;
import dev.herald.spi.TaskStatsRow;
import dev.herald.spi.TaskStore;
import dev.herald.spi.TaskTokens;
import dev.herald.spi.Wakeup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The operations of {@link InMemoryTaskStore}: the store contract of the PostgreSQL stores in
 * memory (the conformance kit runs against it). Thread-safe.
 */
final class InMemoryTasks implements TaskStore {

  private static final Object TX_KEY = InMemoryTasks.class;

  private final Scheduler clock;
  private final TreeMap<Long, InMemoryRow> rows = new TreeMap<>();
  private final InMemoryRegistry registry = new InMemoryRegistry();
  private final InMemoryKeys keys = new InMemoryKeys();
  // Kept completed tasks (retention), by id; their runAt is the completion time.
  private final TreeMap<Long, TaskListRow> done = new TreeMap<>();
  private final Sinks.Many<Object> commits = Sinks.many().multicast().directBestEffort();
  private long nextId = 1;

  InMemoryTasks(Scheduler clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code work} in a transaction: tasks it sends are committed when it completes and
   * discarded when it fails or is cancelled. In immediate mode the returned {@code Mono} completes
   * after the receivers ran.
   *
   * @param work the business code, which calls {@code sendReliable}
   * @param <T> its result
   * @return {@code work}'s result, after commit
   */
  <T> Mono<T> inTransaction(Mono<T> work) {
    return Mono.usingWhen(
        Mono.fromSupplier(() -> new InMemoryTransaction(this)),
        tx -> work.contextWrite(Context.of(TX_KEY, tx)),
        InMemoryTransaction::commit,
        (tx, error) -> tx.rollback(),
        InMemoryTransaction::rollback);
  }

  /**
   * Snapshot of every stored task (ready, leased and dead), by id.
   *
   * @return the tasks
   */
  synchronized List<TaskListRow> tasks() {
    return rows.values().stream().map(InMemoryRow::listed).toList();
  }

  /**
   * Tasks currently leased by {@code owner}.
   *
   * @param owner a node id
   * @return how many rows it holds
   */
  synchronized long leasedBy(String owner) {
    long now = now();
    return rows.values().stream()
        .filter(r -> owner.equals(r.lockedBy) && r.lockedUntil > now)
        .count();
  }

  /**
   * Stores a task directly, bypassing the codec: for testing how the engine treats data it cannot
   * decode or receivers no node knows.
   *
   * @param signal the signal name
   * @param receiver the receiver name
   * @param payloadJson the stored payload text
   * @return the task id
   */
  synchronized long insertRaw(String signal, String receiver, String payloadJson) {
    InMemoryRow row = new InMemoryRow(nextId++, signal, receiver, payloadJson, "{}", now());
    rows.put(row.id, row);
    commits.tryEmitNext(row.id);
    return row.id;
  }

  @Override
  public Mono<Void> installSchema() {
    return Mono.empty();
  }

  @Override
  public Mono<SenderTransaction> senderTransaction(ContextView context, String signal) {
    return context
        .<InMemoryTransaction>getOrEmpty(TX_KEY)
        .<Mono<SenderTransaction>>map(tx -> tx.checkOpen(signal))
        .orElseGet(
            () ->
                Mono.error(
                    new NoTransactionException(
                        signal,
                        "no in-memory transaction in the subscriber context; run the sending code"
                            + " inside InMemoryTaskStore.inTransaction(...)")));
  }

  @Override
  public Flux<ClaimedTask> taskClaimBatch(TaskClaimBatchParams p) {
    return Flux.defer(() -> Flux.fromIterable(claim(p)));
  }

  // The first task (lowest id) of each ordering key of one receiver that is pending, or dead when
  // dead letters hold their key back: the only task of its key that may be claimed.
  private Map<String, Long> heads(ClaimWant w) {
    Map<String, Long> heads = new HashMap<>();
    for (InMemoryRow e : rows.values()) {
      if (e.orderKey != null
          && e.signal.equals(w.signal())
          && e.receiver.equals(w.receiver())
          && (e.state.equals("ready") || (w.deadLetterBlocksKey() && e.state.equals("dead")))) {
        heads.putIfAbsent(e.orderKey, e.id);
      }
    }
    return heads;
  }

  // The want's limit, capped by its fleet-wide limit less the pair's tasks leased to anyone.
  private long room(ClaimWant w, long now) {
    if (w.fleetLimit() == 0) {
      return w.limit();
    }
    long leased =
        rows.values().stream()
            .filter(
                r ->
                    r.signal.equals(w.signal())
                        && r.receiver.equals(w.receiver())
                        && r.state.equals("ready")
                        && r.lockedBy != null
                        && r.lockedUntil > now)
            .count();
    return Math.max(0, Math.min(w.limit(), w.fleetLimit() - leased));
  }

  private synchronized List<ClaimedTask> claim(TaskClaimBatchParams p) {
    long now = now();
    long until = now + p.lease().toMillis();
    List<ClaimedTask> claimed = new ArrayList<>();
    for (ClaimWant w : p.wants()) {
      Map<String, Long> heads = heads(w);
      List<InMemoryRow> due =
          rows.values().stream()
              .filter(
                  r ->
                      r.signal.equals(w.signal())
                          && r.receiver.equals(w.receiver())
                          && r.state.equals("ready")
                          && r.runAt <= now
                          && (w.since() == null || r.runAt >= w.since().toEpochMilli())
                          && (r.lockedBy == null || r.lockedUntil < now)
                          && (r.orderKey == null
                              || Long.valueOf(r.id).equals(heads.get(r.orderKey))))
              .sorted(
                  Comparator.comparingLong((InMemoryRow r) -> r.runAt).thenComparingLong(r -> r.id))
              .limit(room(w, now))
              .toList();
      for (InMemoryRow r : due) {
        r.attempt++;
        r.lockedBy = p.owner();
        r.lockedUntil = until;
        claimed.add(
            new ClaimedTask(
                r.id,
                r.signal,
                r.receiver,
                r.payload,
                r.headers,
                r.attempt,
                Instant.ofEpochMilli(r.createdAt),
                Instant.ofEpochMilli(r.runAt),
                // Rows are written at commit: nothing uncommitted can appear behind them.
                Instant.ofEpochMilli(now),
                r.orderKey));
      }
    }
    return claimed;
  }

  @Override
  public Flux<Long> taskCompleteMany(TaskCompleteManyParams p) {
    return forEachHeld(
        p.tokens(),
        r -> {
          if (p.keep()) {
            done.put(r.id, r.kept(now()));
          }
          remove(r);
        });
  }

  @Override
  public Mono<Boolean> taskRetryLater(TaskRetryLaterParams p) {
    return write(
        () -> {
          InMemoryRow r = held(p.owner(), p.id(), p.attempt());
          if (r == null) {
            return false;
          }
          r.runAt = now() + p.delay().toMillis();
          r.unlock();
          r.lastError = p.lastError();
          return true;
        });
  }

  @Override
  public Mono<Boolean> taskDeadLetter(TaskDeadLetterParams p) {
    return write(
        () -> {
          InMemoryRow r = held(p.owner(), p.id(), p.attempt());
          if (r == null) {
            return false;
          }
          r.state = "dead";
          r.unlock();
          r.lastError = p.lastError();
          keys.release(r.id);
          return true;
        });
  }

  @Override
  public Flux<Long> taskRelease(TaskReleaseParams p) {
    return forEachHeld(
        p.tokens(),
        r -> {
          r.unlock();
          r.attempt -= p.refundAttempt() ? 1 : 0;
        });
  }

  @Override
  public Flux<Long> taskExtendLease(TaskExtendLeaseParams p) {
    return forEachHeld(p.tokens(), r -> r.lockedUntil = now() + p.lease().toMillis());
  }

  @Override
  public Mono<Void> taskNotify(TaskNotifyParams p) {
    // Every commit already wakes every dispatcher over this store.
    return Mono.empty();
  }

  @Override
  public Mono<Long> taskReleaseOwned(TaskReleaseOwnedParams p) {
    return write(
        () -> {
          long n = 0;
          for (InMemoryRow r : rows.values()) {
            if (p.owner().equals(r.lockedBy)) {
              r.unlock();
              n++;
            }
          }
          return n;
        });
  }

  /** Applies {@code change} to every row whose claim token still matches; emits their ids. */
  private Flux<Long> forEachHeld(TaskTokens t, java.util.function.Consumer<InMemoryRow> change) {
    return write(
            () -> {
              List<Long> changed = new ArrayList<>();
              for (int i = 0; i < t.ids().length; i++) {
                InMemoryRow r = held(t.owner(), t.ids()[i], t.attempts()[i]);
                if (r != null) {
                  change.accept(r);
                  changed.add(r.id);
                }
              }
              return changed;
            })
        .flatMapIterable(ids -> ids);
  }

  @Override
  public Flux<TaskListRow> taskList(TaskListParams p) {
    return Flux.defer(
        () -> {
          synchronized (this) {
            if (p.state().equals("done")) {
              return Flux.fromIterable(
                  done.tailMap(p.afterId(), false).values().stream()
                      .filter(
                          r ->
                              (p.signal() == null || r.signal().equals(p.signal()))
                                  && (p.receiver() == null || r.receiver().equals(p.receiver())))
                      .limit(p.limit())
                      .toList());
            }
            return Flux.fromIterable(
                rows.tailMap(p.afterId(), false).values().stream()
                    .filter(
                        r ->
                            r.state.equals(p.state())
                                && (p.signal() == null || r.signal.equals(p.signal()))
                                && (p.receiver() == null || r.receiver.equals(p.receiver())))
                    .limit(p.limit())
                    .map(InMemoryRow::listed)
                    .toList());
          }
        });
  }

  @Override
  public Flux<TaskListRow> taskFind(TaskFindParams p) {
    return Flux.defer(
        () -> {
          synchronized (this) {
            TreeMap<Long, TaskListRow> found = new TreeMap<>(Comparator.reverseOrder());
            for (long id : p.ids()) {
              InMemoryRow r = rows.get(id);
              if (r != null) {
                found.put(id, r.listed());
              } else if (done.containsKey(id)) {
                found.put(id, done.get(id));
              }
            }
            if (p.dedupeKey() != null) {
              for (InMemoryRow r : rows.values()) {
                if (r.signal.equals(p.signal()) && p.dedupeKey().equals(r.dedupeKey)) {
                  found.put(r.id, r.listed());
                }
              }
              for (TaskListRow r : done.values()) {
                if (r.signal().equals(p.signal()) && p.dedupeKey().equals(r.dedupeKey())) {
                  found.put(r.id(), r);
                }
              }
            }
            return Flux.fromIterable(found.values().stream().limit(p.limit()).toList());
          }
        });
  }

  @Override
  public Flux<TaskCountReadyRow> taskCountReady() {
    return Flux.defer(
        () -> {
          synchronized (this) {
            Map<String, Long> counts =
                rows.values().stream()
                    .filter(r -> r.state.equals("ready"))
                    .collect(
                        Collectors.groupingBy(
                            r -> r.signal + '\u0000' + r.receiver,
                            TreeMap::new,
                            Collectors.counting()));
            return Flux.fromIterable(
                counts.entrySet().stream()
                    .map(
                        e -> {
                          String[] pair = e.getKey().split("\u0000", 2);
                          return new TaskCountReadyRow(pair[0], pair[1], e.getValue());
                        })
                    .toList());
          }
        });
  }

  @Override
  public Flux<TaskStatsRow> taskStats(TaskStatsParams p) {
    return Flux.defer(
        () -> {
          Comparator<ReceiverKey> order =
              Comparator.comparing(ReceiverKey::signal).thenComparing(ReceiverKey::receiver);
          TreeSet<ReceiverKey> pairs = new TreeSet<>(order);
          registry.list().forEach(r -> pairs.add(new ReceiverKey(r.signal(), r.receiver())));
          pairs.addAll(p.pairs());
          synchronized (this) {
            long now = now();
            return Flux.fromIterable(pairs.stream().map(k -> stats(k, p.cap(), now)).toList());
          }
        });
  }

  // The counts of V6__receiver_stats.sql: running is counted among the oldest cap due tasks.
  private TaskStatsRow stats(ReceiverKey k, int cap, long now) {
    List<InMemoryRow> ready =
        rows.values().stream()
            .filter(
                r ->
                    r.signal.equals(k.signal())
                        && r.receiver.equals(k.receiver())
                        && r.state.equals("ready"))
            .sorted(
                Comparator.comparingLong((InMemoryRow r) -> r.runAt).thenComparingLong(r -> r.id))
            .toList();
    List<InMemoryRow> due = ready.stream().filter(r -> r.runAt <= now).limit(cap).toList();
    List<InMemoryRow> unleased =
        ready.stream()
            .filter(r -> r.runAt <= now && (r.lockedBy == null || r.lockedUntil < now))
            .limit(cap)
            .toList();
    long dead =
        rows.values().stream()
            .filter(
                r ->
                    r.signal.equals(k.signal())
                        && r.receiver.equals(k.receiver())
                        && r.state.equals("dead"))
            .limit(cap)
            .count();
    return new TaskStatsRow(
        k.signal(),
        k.receiver(),
        unleased.size(),
        unleased.isEmpty() ? null : Duration.ofMillis(now - unleased.get(0).runAt),
        due.size(),
        due.stream().filter(r -> r.lockedBy != null && r.lockedUntil >= now).count(),
        ready.stream().filter(r -> r.runAt > now).limit(cap).count(),
        dead);
  }

  @Override
  public Mono<Long> taskRequeue(TaskRequeueParams p) {
    return write(
        () -> {
          List<InMemoryRow> dead = matchingDead(p.filter());
          for (InMemoryRow r : dead) {
            r.state = "ready";
            r.attempt = 0;
            r.runAt = now();
          }
          if (!dead.isEmpty()) {
            commits.tryEmitNext(dead.size());
          }
          return (long) dead.size();
        });
  }

  @Override
  public Mono<Long> taskPurge(TaskPurgeParams p) {
    return write(
        () -> {
          List<InMemoryRow> dead = matchingDead(p.filter());
          dead.forEach(r -> rows.remove(r.id));
          return (long) dead.size();
        });
  }

  @Override
  public Mono<Long> taskDeadLetterReady(TaskDeadLetterReadyParams p) {
    return write(
        () -> {
          long now = now();
          long n = 0;
          for (InMemoryRow r : rows.values()) {
            if (r.state.equals("ready")
                && r.signal.equals(p.signal())
                && r.receiver.equals(p.receiver())
                && (r.lockedBy == null || r.lockedUntil < now)) {
              r.state = "dead";
              r.lastError = p.lastError();
              keys.release(r.id);
              n++;
            }
          }
          return n;
        });
  }

  @Override
  public Flux<Wakeup> wakeups() {
    // Like LISTEN: one wakeup when listening starts (catch up), then one per commit.
    return Flux.concat(Mono.just(Wakeup.LISTENING), commits.asFlux().map(c -> Wakeup.NOTIFIED));
  }

  private List<InMemoryRow> matchingDead(DeadTaskFilter p) {
    Predicate<InMemoryRow> ids =
        p.ids() == null ? r -> true : r -> Arrays.stream(p.ids()).anyMatch(id -> id == r.id);
    return rows.values().stream()
        .filter(r -> r.state.equals("dead"))
        .filter(ids)
        .filter(r -> p.signal() == null || r.signal.equals(p.signal()))
        .filter(r -> p.receiver() == null || r.receiver.equals(p.receiver()))
        .toList();
  }

  private InMemoryRow held(String owner, long id, int attempt) {
    InMemoryRow r = rows.get(id);
    return r != null && owner.equals(r.lockedBy) && r.attempt == attempt ? r : null;
  }

  private <T> Mono<T> write(Supplier<T> change) {
    return Mono.fromSupplier(
        () -> {
          synchronized (this) {
            return change.get();
          }
        });
  }

  private long now() {
    return clock.now(TimeUnit.MILLISECONDS);
  }

  // Ids are taken when the tasks are written into the transaction, as a database sequence would;
  // times are stamped at commit (see commit()).
  synchronized List<InMemoryTransaction.Pending> written(TaskInsertManyParams p) {
    List<InMemoryTransaction.Pending> written = new ArrayList<>();
    for (String receiver : registry.receiversOf(p.signal(), p.receivers())) {
      long id = nextId++;
      boolean taken = p.dedupeKey() == null || keys.take(p.signal(), p.dedupeKey(), receiver, id);
      written.add(new InMemoryTransaction.Pending(taken ? id : null, receiver, p));
    }
    return written;
  }

  /** Wakes the dispatchers over this store after a commit, as a NOTIFY would. */
  void committed(int tasks) {
    commits.tryEmitNext(tasks);
  }

  // A rolled-back transaction's keys are free again.
  synchronized void rolledBack(List<InMemoryTransaction.Pending> inserts) {
    for (InMemoryTransaction.Pending w : inserts) {
      if (w.id() != null) {
        keys.release(w.id());
      }
    }
  }

  private void remove(InMemoryRow r) {
    rows.remove(r.id);
    keys.release(r.id);
  }

  @Override
  public Mono<Long> taskExpire(TaskExpireParams p) {
    return write(
        () -> {
          long before = now() - p.keepFor().toMillis();
          List<Long> expired =
              done.values().stream()
                  .filter(r -> r.runAt().toEpochMilli() < before)
                  .sorted(Comparator.comparing(TaskListRow::runAt))
                  .limit(p.max())
                  .map(TaskListRow::id)
                  .toList();
          expired.forEach(done::remove);
          return (long) expired.size();
        });
  }

  @Override
  public Flux<Long> taskCancel(TaskCancelParams p) {
    return Flux.defer(
        () -> {
          synchronized (this) {
            long now = now();
            List<Long> candidates = new ArrayList<>();
            for (long id : p.ids()) {
              candidates.add(id);
            }
            if (p.dedupeKey() != null) {
              candidates.addAll(keys.tasksOf(p.signal(), p.dedupeKey()));
            }
            List<Long> cancelled = new ArrayList<>();
            for (long id : candidates) {
              InMemoryRow r = rows.get(id);
              if (r != null
                  && r.state.equals("ready")
                  && (r.lockedBy == null || r.lockedUntil < now)) {
                remove(r);
                cancelled.add(id);
              }
            }
            return Flux.fromIterable(cancelled);
          }
        });
  }

  // Rows become visible with their commit's time, so nothing uncommitted can appear behind a
  // claim (what ClaimedTask.openSince accounts for on a database).
  synchronized void commit(List<InMemoryTransaction.Pending> inserts) {
    long now = now();
    for (InMemoryTransaction.Pending w : inserts) {
      if (w.id() == null) {
        continue;
      }
      TaskInsertManyParams p = w.params();
      InMemoryRow row =
          new InMemoryRow(w.id(), p.signal(), w.receiver(), p.payload(), p.headers(), now);
      row.orderKey = p.orderKey();
      row.dedupeKey = p.dedupeKey();
      row.runAt =
          Math.max(
              now + p.delay().toMillis(),
              p.notBefore() == null ? Long.MIN_VALUE : p.notBefore().toEpochMilli());
      rows.put(row.id, row);
    }
  }

  @Override
  public Mono<Void> receiverRegister(ReceiverRegisterParams p) {
    return Mono.fromRunnable(() -> registry.register(p, Instant.ofEpochMilli(now())));
  }

  @Override
  public Mono<Boolean> receiverRetire(ReceiverRetireParams p) {
    return Mono.fromSupplier(() -> registry.retire(new ReceiverKey(p.signal(), p.receiver())));
  }

  @Override
  public Flux<ReceiverListRow> receiverList() {
    return Flux.defer(() -> Flux.fromIterable(registry.list()));
  }
}
