package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link RelayLoop} without a broker: each publish is handed to its client once, on the relay's
 * thread; it settles exactly once, by its confirm, its deadline, a cancel or the relay's close.
 */
class RelayLoopTest {

  private RelayLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  /** A flight whose "client" only records that it was handed over, and on which thread. */
  private static final class Recorded extends Flight {
    final Queue<Recorded> sent;
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    volatile String thread;

    Recorded(long taskId, Queue<Recorded> sent) {
      super("queue 'q'", delivery(taskId));
      this.sent = sent;
    }

    @Override
    void send() {
      sends.incrementAndGet();
      thread = Thread.currentThread().getName();
      sent.add(this);
    }

    @Override
    void released() {
      releases.incrementAndGet();
    }
  }

  private static Delivery<String> delivery(long taskId) {
    return new Delivery<>("s", "r", taskId, 1, Instant.EPOCH, Map.of(), "payload", null);
  }

  /** A client call that blocks the relay's thread until released: what waits behind it waits. */
  private static final class Blocking extends Flight {
    final CountDownLatch busy = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Blocking() {
      super("queue 'q'", delivery(1));
    }

    @Override
    void send() {
      busy.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aPublishIsSentOnTheRelayThreadAndEndsWithItsConfirm() {
    loop = new RelayLoop("test", Duration.ofSeconds(10));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    Recorded f = new Recorded(1, sent);
    StepVerifier.create(loop.publish(() -> f))
        .then(() -> await().until(() -> sent.size() == 1))
        .then(f::succeed)
        .verifyComplete();
    assertThat(f.thread).startsWith("herald-relay-test-");
    assertThat(f.sends).hasValue(1);
    assertThat(f.releases).hasValue(1);
    f.fail(new IllegalStateException("a late second outcome"));
    assertThat(f.releases).hasValue(1);
  }

  @Test
  void aPublishWithoutConfirmFailsByItsDeadlineAndALateConfirmIsIgnored() {
    loop = new RelayLoop("test", Duration.ofMillis(100));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    Recorded f = new Recorded(7, sent);
    StepVerifier.create(loop.publish(() -> f))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(RelayException.class)
                  .hasMessageContaining("relay of task 7 ")
                  .hasMessageContaining("PT0.1S");
              assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
            })
        .verify(Duration.ofSeconds(5));
    f.succeed();
    assertThat(f.releases).hasValue(1);
  }

  @Test
  void cancellingBeforeItsTurnSettlesItAndItIsNeverSent() throws Exception {
    loop = new RelayLoop("test", Duration.ofSeconds(10));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    // Holds the relay's thread so that the second publish waits in its queue.
    Blocking blocker = new Blocking();
    loop.publish(() -> blocker).subscribe();
    blocker.busy.await();
    Recorded waiting = new Recorded(2, sent);
    Disposable d = loop.publish(() -> waiting).subscribe();
    d.dispose();
    blocker.release.countDown();
    Recorded after = new Recorded(3, sent);
    loop.publish(() -> after).subscribe();
    await().until(() -> sent.size() == 1);
    assertThat(sent).containsExactly(after);
    assertThat(waiting.sends).hasValue(0);
    assertThat(waiting.releases).hasValue(1);
  }

  @Test
  void aPublishThatWaitedPastItsDeadlineBehindABlockedClientIsFailedNotSent() throws Exception {
    loop = new RelayLoop("test", Duration.ofMillis(100));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    // A producer waiting for metadata: neither the deadline check nor the next publish can run.
    Blocking blocking = new Blocking();
    loop.publish(() -> blocking).onErrorResume(e -> Mono.empty()).subscribe();
    blocking.busy.await();
    Recorded waiting = new Recorded(2, sent);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    loop.publish(() -> waiting).subscribe(v -> {}, failed::set);
    await().until(() -> System.nanoTime() - waiting.deadline() > 0);
    blocking.release.countDown();
    await().until(() -> failed.get() != null);
    assertThat(failed.get().getCause()).isInstanceOf(TimeoutException.class);
    assertThat(waiting.sends).hasValue(0);
  }

  @Test
  void closingFailsWhatIsInFlightAtOnceAndRefusesNewPublishes() {
    loop = new RelayLoop("test", Duration.ofMinutes(1));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    Recorded f = new Recorded(5, sent);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    loop.publish(() -> f).subscribe(v -> {}, failed::set);
    await().until(() -> sent.size() == 1);
    loop.close();
    assertThat(failed.get())
        .isInstanceOf(RelayException.class)
        .hasMessageContaining("the relay closed before the broker confirmed");
    assertThat(failed.get().getCause()).isNull(); // retried, not counted by the breaker
    StepVerifier.create(loop.publish(() -> new Recorded(6, sent)))
        .expectErrorMessage(
            RelayException.describe("queue 'q'", 6, "the relay closed before the broker confirmed"))
        .verify(Duration.ofSeconds(5));
    assertThat(f.releases).hasValue(1);
  }

  @Test
  void publishesFromManyThreadsAreEachSentOnceAndConfirmed() throws Exception {
    loop = new RelayLoop("test", Duration.ofSeconds(30));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    int threads = 4;
    int each = 5_000;
    AtomicInteger done = new AtomicInteger();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      Thread sender =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  Recorded f = new Recorded(base + i, sent);
                  loop.publish(() -> f).subscribe(null, null, done::incrementAndGet);
                }
              });
      sender.start();
      senders.add(sender);
    }
    // The "broker" confirms what it was sent, as it arrives.
    Thread broker =
        new Thread(
            () -> {
              int confirmed = 0;
              while (confirmed < threads * each) {
                Recorded f = sent.poll();
                if (f == null) {
                  Thread.onSpinWait();
                } else {
                  f.succeed();
                  confirmed++;
                }
              }
            });
    broker.start();
    for (Thread s : senders) {
      s.join();
    }
    broker.join(Duration.ofSeconds(30).toMillis());
    await().until(() -> done.get() == threads * each);
    assertThat(broker.isAlive()).isFalse();
  }

  @Test
  void deadlinesExpireWhileNewPublishesKeepArriving() {
    loop = new RelayLoop("test", Duration.ofMillis(50));
    Queue<Recorded> sent = new ConcurrentLinkedQueue<>();
    AtomicInteger timedOut = new AtomicInteger();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Recorded f = new Recorded(i, sent);
      loop.publish(() -> f)
          .onErrorResume(
              e -> {
                if (e.getCause() instanceof TimeoutException) {
                  timedOut.incrementAndGet();
                }
                return Mono.empty();
              })
          .subscribe();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> timedOut.get() == n);
    assertThat(sent).hasSize(n);
  }
}
