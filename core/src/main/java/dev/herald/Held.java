package dev.herald;

import dev.herald.spi.ClaimedTask;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * A task this node holds, from its claim until its outcome is recorded (or its lease is lost). It
 * occupies one slot of {@code maxInFlight} and of its route for that whole time.
 */
final class Held {

  final ClaimedTask task;
  final ReceiverRuntime route;

  /** Until when, on this JVM's {@code System.nanoTime()}, the lease surely lasts. */
  volatile long leaseDeadline;

  /** Set once the lease is known lost: the task must not start, and its outcome is moot. */
  volatile boolean leaseLost;

  /** Set by the first outcome submitted; any later one (a cancel racing a finish) is ignored. */
  final AtomicBoolean settled = new AtomicBoolean();

  /** Set once its receiver finished or was cancelled, so the running count drops exactly once. */
  final AtomicBoolean finished = new AtomicBoolean();

  /** The running attempt, disposed to cancel it. */
  final Disposable.Swap attempt = Disposables.swap();

  Held(ClaimedTask task, ReceiverRuntime route, long leaseDeadline) {
    this.task = task;
    this.route = route;
    this.leaseDeadline = leaseDeadline;
  }

  long id() {
    return task.id();
  }

  boolean leaseValid(long nowNanos) {
    return !leaseLost && nowNanos - leaseDeadline < 0;
  }
}
