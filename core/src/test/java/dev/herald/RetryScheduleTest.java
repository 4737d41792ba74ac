package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.InMemoryTaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The dispatcher retries on the policy's schedule, checked in virtual time. */
class RetryScheduleTest {

  @Test
  void failedAttemptsAreRetriedAfterGrowingDelaysThenDeadLettered() {
    List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () -> {
              VirtualTimeScheduler clock = VirtualTimeScheduler.get();
              InMemoryTaskStore store = InMemoryTaskStore.create(clock);
              Herald herald =
                  Herald.builder(store)
                      .scheduler(clock)
                      .options(HeraldOptions.builder().pollInterval(Duration.ofMinutes(10)).build())
                      .build();
              Signal<String> signal = herald.signal("s", String.class);
              signal.connect(
                  "r",
                  ReceiverOptions.builder()
                      .retryPolicy(
                          RetryPolicy.builder()
                              .maxAttempts(4)
                              .initialDelay(Duration.ofSeconds(1))
                              .jitter(false)
                              .build())
                      .build(),
                  d -> {
                    attemptTimes.add(clock.now(TimeUnit.MILLISECONDS));
                    return Mono.error(new IllegalStateException("no"));
                  });
              Mono<HeraldEvent> dead =
                  herald.events().filter(e -> e instanceof HeraldEvent.DeadLettered).next();
              herald.start();
              return store.inTransaction(signal.sendReliable("payload")).then(dead);
            })
        .thenAwait(Duration.ofSeconds(20))
        .assertNext(
            e -> assertThat(((HeraldEvent.DeadLettered) e).reason()).startsWith("gave up after 4"))
        .verifyComplete();

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < attemptTimes.size(); i++) {
      gaps.add(attemptTimes.get(i) - attemptTimes.get(i - 1));
    }
    assertThat(gaps).containsExactly(1000L, 2000L, 4000L);
  }
}
