package dev.herald.relay;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread of a relay that calls its broker client. The clients write to sockets or take
 * locks in their publish calls (amqp-client's channel, jnats' outgoing queue, a Kafka producer
 * waiting for metadata), which must never happen on an event loop. One thread per relay also keeps
 * a channel's publishes, and so its confirm sequence numbers, in one order. A scheduled executor,
 * because handing it work from an event loop is allowed by Reactor's BlockHound integration (its
 * queue's lock is), where a plain executor's queue lock is not.
 */
final class IoThread {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private IoThread() {}

  static ScheduledExecutorService start(String broker) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "herald-relay-" + broker + "-" + COUNT.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
