package dev.herald;

import dev.herald.spi.TaskStore;
import java.util.Objects;

/**
 * Where a {@link Herald} keeps its tasks: what {@link Herald#builder(Store)} takes. Applications
 * get one from an adapter ({@code R2dbcTaskStore.create(connectionFactory)}, {@code
 * VertxTaskStore.create(pool, vertx, connectOptions)}) or, in tests, from {@code
 * dev.herald.testing.InMemoryTaskStore}; they never call the store's operations themselves, and
 * this type shows none of them.
 *
 * <p>For store implementations: a subclass hands its {@link TaskStore} operations (the unstable
 * SPI) to this constructor. SQL stores build them with {@code dev.herald.spi.SqlTaskStore.create},
 * over a driver of their own; tools and tests that wrap a store's operations (to delay or count
 * calls) read them with {@link #operationsOf(Store)} from a subclass.
 */
public abstract class Store {

  private final TaskStore operations;
  private final boolean deliversOnCommit;

  /**
   * Creates a store over its operations, whose tasks a started dispatcher delivers.
   *
   * @param operations what Herald calls: claims, acknowledgements, the send path
   */
  protected Store(TaskStore operations) {
    this(operations, false);
  }

  /**
   * Creates a store over its operations, choosing who delivers its tasks. The immediate mode is a
   * test mode (that of {@code dev.herald.testing.InMemoryTaskStore.immediate()}): it exists for
   * stores whose transactions run their after-commit actions inside the commit, so that the
   * sender's {@code Mono} completes after its receivers ran; production stores use {@link
   * #Store(TaskStore)}.
   *
   * @param operations what Herald calls: claims, acknowledgements, the send path
   * @param deliversOnCommit true to deliver every task right after its sender commits, in the
   *     commit's own subscription, with no dispatcher; false for the dispatcher
   */
  protected Store(TaskStore operations, boolean deliversOnCommit) {
    this.operations = Objects.requireNonNull(operations, "operations");
    this.deliversOnCommit = deliversOnCommit;
  }

  /**
   * The operations behind a store, for tools and tests written as subclasses (unstable SPI).
   *
   * @param store a store
   * @return its operations
   */
  protected static TaskStore operationsOf(Store store) {
    return Objects.requireNonNull(store, "store").operations;
  }

  final TaskStore operations() {
    return operations;
  }

  final boolean deliversOnCommit() {
    return deliversOnCommit;
  }
}
