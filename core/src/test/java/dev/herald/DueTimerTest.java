package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One timer for the earliest due retry wakes the dispatcher at every due time it knows of. */
class DueTimerTest {

  @Test
  void wakesAtEachDueTimeInOrderWhateverOrderTheyCameIn() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<Long> wakes = new CopyOnWriteArrayList<>();
    DueTimer timer = new DueTimer(clock, () -> wakes.add(clock.now(TimeUnit.MILLISECONDS)));

    timer.wakeAfter(Duration.ofSeconds(5));
    timer.wakeAfter(Duration.ofSeconds(1));
    timer.wakeAfter(Duration.ofSeconds(3));
    timer.wakeAfter(Duration.ofSeconds(3));
    clock.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(wakes).containsExactly(1000L, 3000L, 5000L);
  }

  @Test
  void aZeroDelayWakesAtOnceAndStopSilencesTheRest() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<Long> wakes = new CopyOnWriteArrayList<>();
    DueTimer timer = new DueTimer(clock, () -> wakes.add(clock.now(TimeUnit.MILLISECONDS)));

    timer.wakeAfter(Duration.ZERO);
    timer.wakeAfter(Duration.ofSeconds(2));
    timer.stop();
    clock.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(wakes).containsExactly(0L);
  }

  @Test
  void remembersOnlyTheEarliestDueTimesWithinItsBound() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<Long> wakes = new CopyOnWriteArrayList<>();
    DueTimer timer = new DueTimer(clock, () -> wakes.add(clock.now(TimeUnit.MILLISECONDS)));

    for (int i = DueTimer.MAX_KNOWN + 10; i > 0; i--) {
      timer.wakeAfter(Duration.ofMillis(i));
    }
    clock.advanceTimeBy(Duration.ofSeconds(10));

    assertThat(wakes)
        .hasSize(DueTimer.MAX_KNOWN)
        .startsWith(1L, 2L)
        .endsWith((long) DueTimer.MAX_KNOWN);
  }
}
