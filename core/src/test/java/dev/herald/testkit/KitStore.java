package dev.herald.testkit;

import dev.herald.Store;
import dev.herald.spi.TaskStore;

/**
 * The kit's bridge between a store's public face and its operations: tests wrap operations (to
 * delay, fail or count calls) and hand the wrapper to a {@link dev.herald.Herald} as a store.
 */
public final class KitStore extends Store {

  private KitStore(TaskStore operations) {
    super(operations);
  }

  /**
   * A store over operations, such as a {@link ControlledStore}.
   *
   * @param operations the operations
   * @return a store to build a Herald over
   */
  public static Store of(TaskStore operations) {
    return new KitStore(operations);
  }

  /**
   * The operations behind a store.
   *
   * @param store an adapter's or the in-memory store
   * @return its operations
   */
  public static TaskStore operations(Store store) {
    return operationsOf(store);
  }
}
