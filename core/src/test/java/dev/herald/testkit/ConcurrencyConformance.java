package dev.herald.testkit;

import static dev.herald.testkit.Kit.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.Herald;
import dev.herald.ReceiverOptions;
import dev.herald.Signal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Promises 3 and 6: bounded, isolated receivers; many dispatchers share one table safely. */
public interface ConcurrencyConformance extends Kit {

  @Test
  default void threeDispatchersDeliverTenThousandTasksExactlyOnceWithinTheirLimits() {
    Recorder rec = new Recorder();
    AtomicInteger violations = new AtomicInteger();
    Map<String, Integer> limits = Map.of("narrow", 3, "wide", 12);
    Signal<Note> sender = null;
    for (int node = 0; node < 3; node++) {
      Herald h = fixture().herald(o -> o.maxInFlight(12));
      Signal<Note> signal = h.signal(SIGNAL, Note.class);
      for (Map.Entry<String, Integer> limit : limits.entrySet()) {
        String scope = node + "/" + limit.getKey();
        signal.connect(
            limit.getKey(),
            ReceiverOptions.builder().concurrency(limit.getValue()).build(),
            d ->
                Mono.defer(
                    () -> {
                      if (rec.enter(scope) > limit.getValue()) {
                        violations.incrementAndGet();
                      }
                      rec.called(d);
                      long micros = ThreadLocalRandom.current().nextLong(500);
                      // Leave before completing: a finished delivery frees its slot at once.
                      return Mono.delay(Duration.ofNanos(micros * 1000))
                          .then(Mono.fromRunnable(() -> rec.exit(scope)));
                    }));
      }
      h.start();
      sender = signal;
    }
    Signal<Note> s = sender;
    int sends = 5_000;
    sendCommitted(s, sends);

    eventually().atMost(Duration.ofMinutes(3)).until(() -> rec.calls().size() >= 2 * sends);
    eventually().until(() -> fixture().tasks().collectList().block().isEmpty());
    Map<Long, Integer> perTask = new HashMap<>();
    rec.calls().forEach(c -> perTask.merge(c.taskId(), 1, Integer::sum));
    assertThat(perTask).hasSize(2 * sends);
    assertThat(perTask.values()).allMatch(n -> n == 1);
    assertThat(violations).hasValue(0);
    for (int node = 0; node < 3; node++) {
      for (String r : List.of("narrow", "wide")) {
        assertThat(rec.maxInFlight(node + "/" + r)).isLessThanOrEqualTo(limits.get(r));
      }
    }
  }
}
