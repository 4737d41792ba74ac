package dev.herald;

import dev.herald.spi.SenderTransaction;
import dev.herald.spi.TaskInsertManyParams;
import dev.herald.spi.TaskInsertManyResult;
import dev.herald.spi.TaskInsertManyRow;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sendReliable}: encodes and checks the payload and headers before any SQL runs, writes one
 * task per receiver (connected or declared here, or registered by any node) on the caller's
 * transaction, fails when there is none at all, and wakes dispatchers after the commit.
 *
 * <p>Wakeups: when the transaction's commit can be observed, this process's dispatcher is woken in
 * memory right after it, and other processes by the {@link Notifier} (rate-limited, after commit).
 * When it cannot be observed (a bare connection the caller commits), the {@code NOTIFY} travels
 * inside the transaction and reaches every listening dispatcher, this process's too, at commit.
 */
final class SendPath {

  private static final ObjectWriter HEADER_WRITER =
      JsonMapper.builder().build().writerFor(new TypeReference<Map<String, String>>() {});

  private final TaskStore store;
  private final PayloadCodec codec;
  private final HeraldOptions options;
  private final Routes routes;
  private final boolean immediate;
  private final Notifier notifier;
  private final EngineHooks hooks;
  private final Supplier<Mono<Void>> afterLocalCommit;
  private final Consumer<Duration> wakeAfter;
  private final Observing observing;

  SendPath(
      TaskStore store,
      PayloadCodec codec,
      HeraldOptions options,
      Routes routes,
      boolean immediate,
      Notifier notifier,
      EngineHooks hooks,
      Supplier<Mono<Void>> afterLocalCommit,
      Consumer<Duration> wakeAfter,
      Observing observing) {
    this.store = store;
    this.codec = codec;
    this.options = options;
    this.routes = routes;
    this.immediate = immediate;
    this.notifier = notifier;
    this.hooks = hooks;
    this.afterLocalCommit = afterLocalCommit;
    this.wakeAfter = wakeAfter;
    this.observing = observing;
  }

  /** A send whose caller wants the task ids: the statement answers them. */
  Mono<SendReceipt> send(String signal, Object payload, SendOptions send) {
    return written(signal, payload, send, true).map(r -> receipt(signal, r));
  }

  /** A send whose caller wants no ids: the statement answers only its count. */
  Mono<Void> sendQuietly(String signal, Object payload, SendOptions send) {
    return written(signal, payload, send, false).then();
  }

  private Mono<TaskInsertManyResult> written(
      String signal, Object payload, SendOptions send, boolean ids) {
    // Observed (when an ObservationRegistry was given): the headers then carry the send's trace
    // context too, and are checked with the application's before any SQL runs.
    return observing.send(
        signal, send.headers(), headers -> written(signal, payload, headers, send, ids));
  }

  private Mono<TaskInsertManyResult> written(
      String signal, Object payload, Map<String, String> headers, SendOptions send, boolean ids) {
    return Mono.deferContextual(
        ctx -> {
          String encoded;
          String encodedHeaders;
          try {
            encoded = encode(signal, payload);
            encodedHeaders = encodeHeaders(signal, headers);
          } catch (PayloadEncodingException e) {
            return Mono.error(e);
          }
          List<String> receivers = routes.receiversOf(signal);
          return store
              .senderTransaction(ctx, signal)
              .flatMap(tx -> write(tx, signal, receivers, encoded, encodedHeaders, send, ids))
              .flatMap(
                  r ->
                      // Nothing written and no row at all: no receiver is known anywhere (the
                      // statement also wrote the registry's). Deduplicated receivers count.
                      r.written() == 0 && r.rows().isEmpty() && !routes.mayGoUnheard(signal)
                          ? Mono.error(new NoReceiverException(signal))
                          : Mono.just(r));
        });
  }

  private static SendReceipt receipt(String signal, TaskInsertManyResult result) {
    Map<String, Long> ids = new HashMap<>();
    Set<String> deduplicated = new HashSet<>();
    for (TaskInsertManyRow row : result.rows()) {
      if (row.id() == null) {
        deduplicated.add(row.receiver());
      } else {
        ids.put(row.receiver(), row.id());
      }
    }
    return new SendReceipt(signal, ids, deduplicated);
  }

  private Mono<TaskInsertManyResult> write(
      SenderTransaction tx,
      String signal,
      List<String> receivers,
      String payload,
      String headers,
      SendOptions send,
      boolean ids) {
    NotifyMode mode = immediate ? NotifyMode.NONE : options.notifyMode();
    // Counted once committed: the insert has answered by then (a commit follows its statements).
    // A commit Herald cannot observe (a bare connection the caller commits) is not counted.
    AtomicLong written = new AtomicLong();
    boolean observed =
        tx.afterCommit(
            () -> {
              hooks.sent(signal, written.get());
              // A delayed task is due later: this node's timer wakes its dispatcher then (other
              // nodes find it by polling); a wakeup now, here or elsewhere, would find nothing.
              Duration dueIn = send.dueIn(Instant.now());
              if (!dueIn.isZero() && !dueIn.isNegative()) {
                wakeAfter.accept(dueIn);
                return Mono.empty();
              }
              if (mode == NotifyMode.RATE_LIMITED) {
                notifier.committed();
              }
              return afterLocalCommit.get();
            });
    // Inside the transaction only when asked for every transaction, or when nothing else could
    // wake anyone after an unobservable commit.
    boolean inside =
        mode == NotifyMode.EVERY_TRANSACTION || (mode == NotifyMode.RATE_LIMITED && !observed);
    return tx.taskInsertMany(
            new TaskInsertManyParams(
                signal,
                receivers,
                payload,
                headers,
                send.delay(),
                send.notBefore(),
                inside ? store.channel() : null,
                send.dedupeKey(),
                send.orderingKey(),
                ids))
        .doOnNext(r -> written.set(r.written()));
  }

  private String encode(String signal, Object payload) {
    String encoded;
    try {
      encoded = codec.encode(payload);
    } catch (RuntimeException e) {
      throw new PayloadEncodingException(signal, e);
    }
    if (encoded == null) {
      throw new PayloadEncodingException(signal, "the codec returned null");
    }
    String problem = StorableText.jsonProblem(encoded);
    if (problem != null) {
      throw new PayloadEncodingException(signal, "the payload holds " + problem);
    }
    return encoded;
  }

  private static String encodeHeaders(String signal, Map<String, String> headers) {
    if (headers.isEmpty()) {
      return "{}";
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      String problem = StorableText.problem(h.getKey());
      if (problem == null) {
        problem = StorableText.problem(h.getValue());
      }
      if (problem != null) {
        throw new PayloadEncodingException(
            signal, "header '" + printable(h.getKey()) + "' holds " + problem);
      }
    }
    try {
      return HEADER_WRITER.writeValueAsString(headers);
    } catch (RuntimeException e) {
      throw new PayloadEncodingException(signal, e);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(100)
        .forEach(
            c -> {
              if (Character.isISOControl(c) || Character.isSurrogate((char) c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.toString();
  }
}
