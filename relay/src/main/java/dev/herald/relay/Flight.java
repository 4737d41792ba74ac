package dev.herald.relay;

import dev.herald.Delivery;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import reactor.core.publisher.MonoSink;

/**
 * One publish, from the attempt's subscription until the broker confirms or refuses it, its confirm
 * timeout passes, the attempt is cancelled or the relay closes: whichever comes first settles it,
 * exactly once, and the others find it settled. A settled flight drops its sink and whatever its
 * broker's subclass holds, because it may wait in the {@link RelayLoop}'s deadline queue a while
 * longer.
 */
abstract class Flight {

  private static final VarHandle SETTLED;

  static {
    try {
      SETTLED = MethodHandles.lookup().findVarHandle(Flight.class, "settled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String destination;
  final long taskId;
  private Delivery<?> delivery;
  private MonoSink<Void> sink;
  private long deadline;
  private volatile boolean settled;

  Flight(String destination, Delivery<?> delivery) {
    this.destination = destination;
    this.taskId = delivery.taskId();
    this.delivery = delivery;
  }

  /**
   * On the relay's thread: hands the message to the client, which settles the flight later (or at
   * once, with a failure).
   */
  abstract void send();

  /** Once, on whichever thread settled it: forget what the client side still holds for it. */
  void released() {}

  /**
   * The delivery as a message, once, on the relay's thread; or null after failing this flight for
   * good: a payload the codec cannot encode will not encode on a retry either.
   */
  final Envelope envelope(RelayOptions options) {
    Delivery<?> d = delivery;
    delivery = null; // a flight may outlive its turn in the deadline queue: keep it small
    if (d == null) {
      return null; // settled meanwhile
    }
    try {
      return Envelope.of(d, options);
    } catch (RuntimeException encoding) {
      fail(Failures.permanent(destination, taskId, "payload not encodable", encoding));
      return null;
    }
  }

  final void bind(MonoSink<Void> sink, long deadline) {
    this.sink = sink;
    this.deadline = deadline;
  }

  final long deadline() {
    return deadline;
  }

  final boolean settled() {
    return settled;
  }

  final void succeed() {
    MonoSink<Void> s = take();
    if (s != null) {
      s.success();
    }
  }

  final void fail(Throwable error) {
    MonoSink<Void> s = take();
    if (s != null) {
      s.error(error);
    }
  }

  /** The attempt went away (its own timeout, a shutdown): nobody waits for the outcome. */
  final void cancel() {
    take();
  }

  private MonoSink<Void> take() {
    if (!SETTLED.compareAndSet(this, false, true)) {
      return null;
    }
    MonoSink<Void> s = sink;
    sink = null;
    delivery = null;
    released();
    return s;
  }
}
