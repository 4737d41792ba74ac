package dev.herald.vertx;

import dev.herald.Herald;
import dev.herald.HeraldEvent;
import dev.herald.ReceiverOptions;
import dev.herald.testkit.Note;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Scripted drain measurement (not a test): inserts a backlog of ready tasks, then times one
 * dispatcher on the Vert.x store with a no-op receiver draining it to empty. Run with {@code
 * vertx-adapter/drain}.
 */
public final class DrainRun {

  private DrainRun() {}

  /**
   * Entry point.
   *
   * @param args [tasks] [maxInFlight] [pipeliningLimit]
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int pipelining =
        args.length > 2 ? Integer.parseInt(args[2]) : VertxFixture.PIPELINED.pipeliningLimit();
    try (VertxFixture fixture = new VertxFixture(new VertxFixture.Mode(pipelining, true))) {
      fixture
          .execute(
              "INSERT INTO "
                  + fixture.table
                  + " (signal, receiver, payload) SELECT 'drain', 'noop',"
                  + " jsonb_build_object('key', 'k' || i, 'n', i) FROM generate_series(1, "
                  + tasks
                  + ") AS i")
          .block(Duration.ofMinutes(5));
      fixture.execute("VACUUM ANALYZE " + fixture.table).block(Duration.ofMinutes(5));

      CountDownLatch done = new CountDownLatch(tasks);
      AtomicLong delivered = new AtomicLong();
      Herald herald =
          fixture.herald(
              o ->
                  o.maxInFlight(inFlight)
                      .completionBatch(512)
                      .pollInterval(Duration.ofSeconds(1))
                      .lease(Duration.ofSeconds(30)));
      herald
          .signal("drain", Note.class)
          .connect(
              "noop", ReceiverOptions.builder().concurrency(inFlight).build(), d -> Mono.empty());
      herald
          .events()
          .ofType(HeraldEvent.Delivered.class)
          .subscribe(
              e -> {
                delivered.incrementAndGet();
                done.countDown();
              });
      long start = System.nanoTime();
      herald.start();
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("drain incomplete: " + delivered.get() + " of " + tasks);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long left = fixture.query("SELECT count(*) FROM " + fixture.table, Long.class).blockFirst();
      System.out.printf(
          Locale.ROOT,
          "drain vertx: %d tasks in %.2f s = %.0f tasks/s (maxInFlight %d, pipelining limit %d,"
              + " rows left %d, %d cores, %s)%n",
          tasks,
          seconds,
          tasks / seconds,
          inFlight,
          pipelining,
          left,
          Runtime.getRuntime().availableProcessors(),
          System.getenv("HERALD_TEST_DATABASE_URL") == null ? "embedded PostgreSQL" : "server");
    } finally {
      // Vert.x's event loop threads are not daemons: close it, or exec:java waits for ever.
      VertxFixture.shutdown();
    }
  }
}
