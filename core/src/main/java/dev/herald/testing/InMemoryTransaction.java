package dev.herald.testing;

import dev.herald.NoTransactionException;
import dev.herald.spi.SenderTransaction;
import dev.herald.spi.TaskInsertManyParams;
import dev.herald.spi.TaskInsertManyResult;
import dev.herald.spi.TaskInsertManyRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A transaction of {@link InMemoryTasks#inTransaction(Mono)}: takes ids (and dedupe keys) when a
 * send writes, and makes the tasks visible at commit; a rollback gives the keys back.
 */
final class InMemoryTransaction implements SenderTransaction {

  /** A task written into a transaction, not yet committed; no id when deduplicated. */
  record Pending(Long id, String receiver, TaskInsertManyParams params) {}

  private final InMemoryTasks store;
  private final List<Pending> inserts = new ArrayList<>();
  private final List<Supplier<Mono<Void>>> afterCommit = new ArrayList<>();
  private boolean done;

  synchronized Mono<SenderTransaction> checkOpen(String signal) {
    return done
        ? Mono.error(new NoTransactionException(signal, "the in-memory transaction already ended"))
        : Mono.just(this);
  }

  @Override
  public Mono<TaskInsertManyResult> taskInsertMany(TaskInsertManyParams params) {
    return Mono.defer(
        () -> {
          synchronized (this) {
            if (done) {
              throw new IllegalStateException("the in-memory transaction already ended");
            }
            List<Pending> written = store.written(params);
            inserts.addAll(written);
            long count = written.stream().filter(w -> w.id() != null).count();
            boolean rows = params.ids() || params.dedupeKey() != null;
            return Mono.just(
                new TaskInsertManyResult(
                    count,
                    rows
                        ? written.stream()
                            .map(w -> new TaskInsertManyRow(w.id(), w.receiver()))
                            .toList()
                        : List.of()));
          }
        });
  }

  @Override
  public synchronized boolean afterCommit(Supplier<Mono<Void>> action) {
    afterCommit.add(action);
    return true;
  }

  Mono<Void> commit() {
    return Mono.defer(
        () -> {
          List<Supplier<Mono<Void>>> hooks;
          synchronized (this) {
            done = true;
            store.commit(inserts);
            hooks = List.copyOf(afterCommit);
          }
          if (!inserts.isEmpty()) {
            store.committed(inserts.size());
          }
          return Flux.fromIterable(hooks).concatMap(Supplier::get).then();
        });
  }

  Mono<Void> rollback() {
    return Mono.fromRunnable(
        () -> {
          synchronized (this) {
            done = true;
            store.rolledBack(inserts);
            inserts.clear();
            afterCommit.clear();
          }
        });
  }

  InMemoryTransaction(InMemoryTasks store) {
    this.store = store;
  }
}
