package dev.herald.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.herald.Delivery;
import java.io.IOException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import reactor.core.publisher.Mono;

/**
 * Publishes on one confirm-mode channel from the relay's thread and completes each publish when its
 * confirm arrives. A channel that closes fails everything it still owes and is replaced on the next
 * publish; sequence numbers are per channel, so confirms are only ever matched within the channel
 * (its {@link Lane}) that published.
 */
final class RabbitPublisher {

  private final Connection connection;
  private final RelayOptions options;
  private final RelayLoop loop;
  // Read and replaced on the relay's thread only; a closing channel's listener clears it.
  private volatile Lane lane;

  RabbitPublisher(Connection connection, RelayOptions options) {
    this.connection = connection;
    this.options = options;
    this.loop = new RelayLoop("rabbitmq", options.confirmTimeout());
  }

  Mono<Void> publish(String exchange, String routingKey, Delivery<?> delivery) {
    return loop.publish(() -> new Pending(exchange, routingKey, delivery));
  }

  private byte[] body(Envelope e) {
    return options.format() == RelayFormat.RAW ? e.payload() : e.structured();
  }

  private AMQP.BasicProperties properties(Envelope e) {
    boolean raw = options.format() == RelayFormat.RAW;
    Map<String, Object> headers = new HashMap<>(raw ? e.headers : e.trace());
    return new AMQP.BasicProperties.Builder()
        .messageId(e.id)
        .type(e.type)
        .appId(e.source)
        .contentType(raw ? Envelope.JSON : Envelope.STRUCTURED)
        .contentEncoding("utf-8")
        .deliveryMode(2)
        .timestamp(Date.from(e.at))
        .headers(headers)
        .build();
  }

  private Lane lane() throws IOException {
    Lane l = lane;
    if (l != null && l.channel.isOpen()) {
      return l;
    }
    if (l != null) {
      l.abandon();
    }
    Channel channel = connection.createChannel();
    if (channel == null) {
      throw new IOException("no channel available on connection " + connection);
    }
    l = new Lane(channel);
    channel.confirmSelect();
    lane = l;
    return l;
  }

  void close() {
    loop.close();
    Lane l = lane;
    if (l != null) {
      l.abandon();
    }
  }

  /** One channel and the publishes it still owes a confirm for. */
  private final class Lane {
    final Channel channel;
    final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
    final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();

    Lane(Channel channel) {
      this.channel = channel;
      channel.addConfirmListener(
          (seq, multiple) -> settle(seq, multiple, null),
          (seq, multiple) ->
              settle(seq, multiple, "the broker nacked the message (an internal error)"));
      // The broker returns an unroutable mandatory message before it confirms it: remember the
      // return, the confirm that follows fails the publish.
      channel.addReturnListener(
          r -> {
            Pending p = byMessageId.get(r.getProperties().getMessageId());
            if (p != null) {
              p.returned =
                  "unroutable: the broker returned it ("
                      + r.getReplyCode()
                      + " "
                      + r.getReplyText()
                      + "), no queue is bound for routing key '"
                      + r.getRoutingKey()
                      + "'";
            }
          });
      channel.addShutdownListener(this::closed);
    }

    private void settle(long seq, boolean multiple, String nack) {
      if (multiple) {
        ConcurrentNavigableMap<Long, Pending> upTo = unconfirmed.headMap(seq, true);
        upTo.values().forEach(p -> p.confirmed(nack));
        upTo.clear();
      } else {
        Pending p = unconfirmed.remove(seq);
        if (p != null) {
          p.confirmed(nack);
        }
      }
    }

    private void closed(ShutdownSignalException cause) {
      if (lane == this) {
        lane = null;
      }
      for (Pending p : unconfirmed.values()) {
        p.fail(failureOf(p, cause));
      }
      unconfirmed.clear();
      byMessageId.clear();
    }

    private RuntimeException failureOf(Pending p, ShutdownSignalException cause) {
      // A publish to a missing exchange closes the channel with 404 naming the exchange.
      if (!cause.isHardError()
          && cause.getReason() instanceof AMQP.Channel.Close close
          && close.getReplyCode() == AMQP.NOT_FOUND
          && close.getReplyText().contains("exchange '" + p.exchange + "'")) {
        return Failures.permanent(p.destination, p.taskId, close.getReplyText(), cause);
      }
      return Failures.unavailable(
          p.destination, p.taskId, "the channel closed before the broker confirmed", cause);
    }

    void abandon() {
      if (lane == this) {
        lane = null;
      }
      try {
        channel.abort(); // also takes an auto-recovering channel out of recovery
      } catch (IOException | RuntimeException ignored) {
        // already closed
      }
    }
  }

  /** One publish, then waiting for its confirm. */
  private final class Pending extends Flight {
    final String exchange;
    final String routingKey;
    volatile String returned;
    private Lane lane;
    private long seq;
    private String messageId;

    Pending(String exchange, String routingKey, Delivery<?> delivery) {
      super("exchange '" + exchange + "' routing key '" + routingKey + "'", delivery);
      this.exchange = exchange;
      this.routingKey = routingKey;
    }

    // On the relay's thread.
    @Override
    void send() {
      Envelope e = envelope(options);
      if (e == null) {
        return;
      }
      try {
        Lane l = lane();
        long seq = l.channel.getNextPublishSeqNo();
        attach(l, seq, e.id);
        if (settled()) {
          detach(); // cancelled meanwhile: released() ran before attach, so clean up here
          return;
        }
        l.channel.basicPublish(exchange, routingKey, true, properties(e), body(e));
      } catch (IOException | ShutdownSignalException | IllegalStateException failure) {
        fail(Failures.unavailable(destination, taskId, "publish failed", failure));
      }
    }

    // Before basicPublish: a confirm may arrive before basicPublish even returns.
    synchronized void attach(Lane lane, long seq, String messageId) {
      this.lane = lane;
      this.seq = seq;
      this.messageId = messageId;
      lane.byMessageId.put(messageId, this);
      lane.unconfirmed.put(seq, this);
    }

    synchronized void detach() {
      if (lane != null) {
        lane.unconfirmed.remove(seq, this);
        lane.byMessageId.remove(messageId, this);
      }
    }

    void confirmed(String nack) {
      detach();
      if (nack != null) {
        fail(Failures.refused(destination, taskId, nack));
      } else if (returned != null) {
        fail(Failures.permanent(destination, taskId, returned, null));
      } else {
        // On the connection's thread, deliberately: Herald's work after it is short and
        // non-blocking, and a publishOn measured no faster (benchmarks/README.md, relay drain).
        succeed();
      }
    }

    /** Settled (confirmed, timed out, cancelled, failed): a late confirm finds nothing. */
    @Override
    void released() {
      detach();
    }
  }
}
