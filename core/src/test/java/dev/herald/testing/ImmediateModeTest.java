package dev.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Immediate mode: receivers have run when the sending transaction's Mono completes. */
class ImmediateModeTest {

  record Paid(long orderId) {}

  @Test
  void receiversRunBeforeTheTransactionCompletesAndRollbackRunsNothing() {
    InMemoryTaskStore store = InMemoryTaskStore.immediate();
    Herald herald = Herald.builder(store).build();
    Signal<Paid> paid = herald.signal("payment.completed", Paid.class);
    List<Long> completed = new CopyOnWriteArrayList<>();
    AtomicInteger flakyCalls = new AtomicInteger();
    paid.connect(
        "complete-order", d -> Mono.fromRunnable(() -> completed.add(d.payload().orderId())));
    paid.connect(
        "send-receipt",
        ReceiverOptions.builder().retryPolicy(RetryPolicy.builder().maxAttempts(3).build()).build(),
        d ->
            flakyCalls.incrementAndGet() < 3
                ? Mono.error(new IllegalStateException("smtp down"))
                : Mono.empty());
    paid.connect(
        "audit",
        ReceiverOptions.builder().retryPolicy(RetryPolicy.noRetry()).build(),
        d -> Mono.error(new IllegalStateException("audit service gone")));
    herald.start();

    StepVerifier.create(store.inTransaction(paid.sendReliable(new Paid(7)))).verifyComplete();

    assertThat(completed).containsExactly(7L);
    assertThat(flakyCalls).hasValue(3);
    assertThat(store.tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.receiver()).isEqualTo("audit");
              assertThat(t.state()).isEqualTo("dead");
              assertThat(t.lastError()).contains("audit service gone");
            });

    StepVerifier.create(
            store.inTransaction(
                paid.sendReliable(new Paid(8))
                    .then(Mono.error(new IllegalStateException("rollback")))))
        .expectErrorMessage("rollback")
        .verify();
    assertThat(completed).containsExactly(7L);
  }
}
