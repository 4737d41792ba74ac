package dev.herald.testkit;

import dev.herald.HeraldEvent;
import dev.herald.RetryPolicy;
import dev.herald.Signal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** What every conformance area shares: the store fixture and cleanup. */
public interface Kit {

  /** The signal every kit test sends. */
  String SIGNAL = "kit.note";

  /**
   * The fixture of the current test; the implementing class creates one per test instance.
   *
   * @return the fixture
   */
  StoreFixture fixture();

  /** Closes the test's Heralds and fixture. */
  @AfterEach
  default void closeFixture() throws Exception {
    fixture().close();
  }

  /**
   * Sends {@code n} notes keyed {@code n0 … n(n-1)}, committed in transactions of up to 100.
   *
   * @param signal the signal
   * @param n how many
   */
  default void sendCommitted(Signal<Note> signal, int n) {
    Flux.range(0, (n + 99) / 100)
        .concatMap(
            batch ->
                fixture()
                    .inTransaction(
                        Flux.range(batch * 100, Math.min(100, n - batch * 100))
                            .concatMap(i -> signal.sendReliable(new Note("n" + i, i)))
                            .then()))
        .blockLast(Duration.ofMinutes(2));
  }

  /**
   * A retry policy with a fixed delay, without jitter.
   *
   * @param delay between attempts
   * @param maxAttempts attempts in all
   * @return the policy
   */
  static RetryPolicy retryEvery(Duration delay, int maxAttempts) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .initialDelay(delay)
        .maxDelay(delay)
        .jitter(false)
        .build();
  }

  /** Waits for a condition with the kit's patience. */
  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
  }

  /** Collects events matching a predicate from now on. */
  static <E extends HeraldEvent> Collected<E> collect(
      Flux<HeraldEvent> events, Class<E> type, Predicate<? super E> filter) {
    List<E> list = new CopyOnWriteArrayList<>();
    Disposable d = events.ofType(type).filter(filter).subscribe(list::add);
    return new Collected<>(list, d);
  }

  /**
   * Waits up to 30 s for {@code work}: one that never completes fails the test with every thread's
   * stack instead of hanging the build.
   *
   * @param work what the test started
   * @param what its name in the failure
   */
  static void join(CompletableFuture<?> work, String what) {
    try {
      work.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete\n" + threadDump(), e);
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(what + " failed", e);
    }
  }

  /**
   * Every thread's stack with the locks it holds and waits for, deadlocks first: for the message of
   * a test that gave up waiting.
   *
   * @return the dump
   */
  static String threadDump() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    StringBuilder out = new StringBuilder();
    long[] deadlocked = threads.findDeadlockedThreads();
    if (deadlocked != null) {
      out.append("deadlocked threads: ").append(Arrays.toString(deadlocked)).append('\n');
    }
    for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
      out.append(info.getThreadName()).append(' ').append(info.getThreadState());
      if (info.getLockName() != null) {
        out.append(" on ")
            .append(info.getLockName())
            .append(" held by ")
            .append(info.getLockOwnerName());
      }
      out.append('\n');
      for (StackTraceElement frame : info.getStackTrace()) {
        out.append("    at ").append(frame).append('\n');
      }
    }
    return out.toString();
  }

  /** Events collected so far. */
  record Collected<E>(List<E> events, Disposable subscription) {}
}
