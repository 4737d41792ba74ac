package dev.herald.testing;

import dev.herald.Herald;
import dev.herald.spi.TaskStore;
import dev.herald.testkit.KitStore;
import dev.herald.testkit.StoreFixture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/** The conformance kit's fixture for {@link InMemoryTaskStore}. */
final class InMemoryFixture implements StoreFixture {
  private final InMemoryTaskStore store = InMemoryTaskStore.create();
  private final List<Herald> heralds = new CopyOnWriteArrayList<>();

  @Override
  public TaskStore store() {
    return KitStore.operations(store);
  }

  @Override
  public <T> Mono<T> inTransaction(Mono<T> work) {
    return store.inTransaction(work);
  }

  @Override
  public Mono<Void> insertRaw(String signal, String receiver, String payloadJson) {
    return Mono.fromRunnable(() -> store.insertRaw(signal, receiver, payloadJson));
  }

  @Override
  public Mono<Long> leasedBy(String owner) {
    return Mono.fromSupplier(() -> store.leasedBy(owner));
  }

  @Override
  public List<Herald> heralds() {
    return heralds;
  }
}
