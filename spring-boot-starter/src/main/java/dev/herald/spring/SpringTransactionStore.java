package dev.herald.spring;

import dev.herald.NoTransactionException;
import dev.herald.Store;
import dev.herald.spi.SenderTransaction;
import dev.herald.spi.TaskStore;
import dev.herald.testing.InMemoryTaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.ContextView;

/**
 * The store of the immediate test mode ({@code herald.test.immediate=true}): {@link
 * InMemoryTaskStore#immediate()}, whose sends join the application's Spring reactive transaction
 * ({@code @Transactional}, {@code TransactionalOperator}) instead of {@code
 * InMemoryTaskStore.inTransaction}.
 *
 * <ul>
 *   <li>The first send in a Spring transaction opens an in-memory transaction beside it; every
 *       later send in it writes there too.
 *   <li>The Spring transaction commits: the in-memory one commits within Spring's after-completion
 *       step, which runs the receivers (retried at once up to their max attempts, then
 *       dead-lettered); the transactional call completes after they ran.
 *   <li>It rolls back: the in-memory transaction is discarded; no receiver runs.
 *   <li>No Spring transaction: the send fails with {@link NoTransactionException}, as it does on
 *       the database.
 * </ul>
 *
 * <p>Receivers run outside the finished transaction's Reactor context, so that a receiver's own
 * {@code @Transactional} opens a new transaction instead of joining the committed one.
 */
final class SpringTransactionStore extends Store {

  private SpringTransactionStore(TaskStore operations) {
    super(operations, true);
  }

  /** A new, empty store in immediate mode. */
  static SpringTransactionStore immediate() {
    InMemoryTaskStore memory = InMemoryTaskStore.immediate();
    TaskStore operations = operationsOf(memory);
    Joins joins = new Joins(memory, operations);
    // Every operation but the sender's transaction is the in-memory store's own; a proxy keeps it
    // that way for operations the SPI gains later.
    TaskStore bridged =
        (TaskStore)
            Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("senderTransaction") && args.length == 2) {
                    return joins.senderTransaction((String) args[1]);
                  }
                  try {
                    return method.invoke(operations, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new SpringTransactionStore(bridged);
  }

  /** Finds or opens the in-memory transaction of the current Spring transaction. */
  private record Joins(InMemoryTaskStore memory, TaskStore operations) {

    Mono<SenderTransaction> senderTransaction(String signal) {
      return TransactionSynchronizationManager.forCurrentTransaction()
          .onErrorResume(
              org.springframework.transaction.NoTransactionException.class, e -> Mono.empty())
          .filter(s -> s.isSynchronizationActive() && s.isActualTransactionActive())
          .switchIfEmpty(
              Mono.error(
                  () ->
                      new NoTransactionException(
                          signal,
                          "no Spring reactive transaction is active (herald.test.immediate joins"
                              + " @Transactional methods and TransactionalOperator)")))
          .flatMap(s -> joined(s).transaction(operations, signal));
    }

    private Joined joined(TransactionSynchronizationManager sync) {
      Joined joined = (Joined) sync.getResource(this);
      if (joined == null) {
        joined = new Joined(sync, this);
        sync.bindResource(this, joined);
        sync.registerSynchronization(joined);
        joined.open(memory);
      }
      return joined;
    }
  }

  /** One in-memory transaction, open until the Spring transaction beside it completes. */
  private static final class Joined implements TransactionSynchronization {

    private final TransactionSynchronizationManager sync;
    private final Object key;
    // Holds the in-memory transaction's work open until Spring's outcome is known.
    private final Sinks.Empty<Void> outcome = Sinks.empty();
    private final Sinks.One<ContextView> opened = Sinks.one();
    private final Sinks.Empty<Void> done = Sinks.empty();

    Joined(TransactionSynchronizationManager sync, Object key) {
      this.sync = sync;
      this.key = key;
    }

    void open(InMemoryTaskStore memory) {
      // Subscribed on its own, so that the commit (and the receivers it runs) carries none of the
      // sender's context.
      memory
          .inTransaction(
              Mono.deferContextual(
                      inner -> {
                        opened.tryEmitValue(inner);
                        return outcome.asMono();
                      })
                  .then())
          .subscribe(null, e -> done.tryEmitEmpty(), done::tryEmitEmpty);
    }

    Mono<SenderTransaction> transaction(TaskStore operations, String signal) {
      return opened.asMono().flatMap(inner -> operations.senderTransaction(inner, signal));
    }

    @Override
    public Mono<Void> suspend() {
      // A REQUIRES_NEW transaction inside this one gets an in-memory transaction of its own.
      return Mono.fromRunnable(() -> sync.unbindResource(key));
    }

    @Override
    public Mono<Void> resume() {
      return Mono.fromRunnable(() -> sync.bindResource(key, this));
    }

    @Override
    public Mono<Void> afterCompletion(int status) {
      return Mono.defer(
          () -> {
            sync.unbindResourceIfPossible(key);
            if (status == STATUS_COMMITTED) {
              outcome.tryEmitEmpty();
            } else {
              outcome.tryEmitError(new IllegalStateException("rolled back"));
            }
            return done.asMono();
          });
    }
  }
}
