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

  /**
   * Creates a store over its operations.
   *
   * @param operations what Herald calls: claims, acknowledgements, the send path
   */
  protected Store(TaskStore operations) {
    this.operations = Objects.requireNonNull(operations, "operations");
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
}
