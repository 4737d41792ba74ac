package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Events are cheap for the engine: subscribers run off its threads and a slow one only misses. */
public interface EventsConformance extends Kit {

  @Test
  default void aSlowSubscriberLosesEventsNotThroughputAndNeverRunsOnEngineThreads() {
    int sends = 2_000;
    Herald herald = fixture().herald(o -> o.maxInFlight(128));
    Signal<Note> signal = herald.signal(SIGNAL, Note.class);
    AtomicInteger delivered = new AtomicInteger();
    signal.connect(
        "fast",
        ReceiverOptions.builder().concurrency(64).build(),
        d -> Mono.fromRunnable(delivered::incrementAndGet));
    AtomicInteger slowSeen = new AtomicInteger();
    List<String> threads = new CopyOnWriteArrayList<>();
    Disposable slow =
        herald
            .events()
            .ofType(HeraldEvent.Delivered.class)
            .subscribe(
                e -> {
                  threads.add(Thread.currentThread().getName());
                  slowSeen.incrementAndGet();
                  // 10 ms per event: 20 s for all of them if the engine waited for it.
                  LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                });
    AtomicInteger fastSeen = new AtomicInteger();
    Disposable fast =
        herald
            .events()
            .ofType(HeraldEvent.Delivered.class)
            .subscribe(e -> fastSeen.incrementAndGet());
    herald.start();

    sendCommitted(signal, sends);
    eventually().atMost(Duration.ofMinutes(1)).until(() -> delivered.get() == sends);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());

    assertThat(slowSeen.get()).isLessThan(sends);
    eventually().until(() -> fastSeen.get() == sends);
    assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("boundedElastic"));
    slow.dispose();
    fast.dispose();
  }
}
