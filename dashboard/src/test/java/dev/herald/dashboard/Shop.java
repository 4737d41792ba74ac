package dev.herald.dashboard;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.PermanentFailureException;
import dev.herald.SendOptions;
import dev.herald.Signal;
import dev.herald.Store;
import dev.herald.testing.InMemoryTaskStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * A tiny shop for the dashboard's tests: signal {@code order.paid} with a receiver {@code mailer}
 * that fails permanently while {@link #failing} is set (so its tasks are dead-lettered), and a
 * declared receiver {@code archive} no node runs (so its tasks stay ready: a backlog).
 */
public final class Shop {

  public record Note(String text) {}

  public final AtomicBoolean failing = new AtomicBoolean(true);
  final Store store;
  public final Herald herald;
  final Signal<Note> paid;

  private Shop(Store store) {
    this.store = store;
    this.herald = Herald.builder(store).build();
    this.paid = herald.signal("order.paid", Note.class);
    paid.connect(
            "mailer",
            delivery ->
                failing.get()
                    ? Mono.error(new PermanentFailureException("mail server said <b>no</b>"))
                    : Mono.empty())
        .declare("archive");
  }

  public static Shop inMemory() {
    return new Shop(InMemoryTaskStore.create());
  }

  static Shop on(Store store) {
    return new Shop(store);
  }

  public Shop start() {
    herald.installSchema().block(Duration.ofSeconds(30));
    herald.start();
    return this;
  }

  public void send(String text) {
    send(text, SendOptions.none());
  }

  /** Sends with options (a dedupe key, a delay) in a transaction of the in-memory store. */
  public void send(String text, SendOptions options) {
    Mono<Void> send = paid.sendReliable(new Note(text), options).then();
    if (store instanceof InMemoryTaskStore mem) {
      mem.inTransaction(send).block(Duration.ofSeconds(10));
    } else {
      throw new UnsupportedOperationException("send through the store's own transaction");
    }
  }

  /** Sends and waits until the mailer's task is dead-lettered; answers its task id. */
  public long sendDead(String text) {
    return sendDead(text, SendOptions.none());
  }

  /** Sends with options and waits until the mailer's task is dead-lettered; answers its id. */
  public long sendDead(String text, SendOptions options) {
    Mono<Long> dead =
        herald
            .events()
            .ofType(HeraldEvent.DeadLettered.class)
            .filter(e -> e.receiver().equals("mailer"))
            .next()
            .map(HeraldEvent.DeadLettered::taskId)
            .cache();
    dead.subscribe();
    send(text, options);
    return dead.block(Duration.ofSeconds(10));
  }

  public void close() {
    herald.close().block(Duration.ofSeconds(10));
  }
}
