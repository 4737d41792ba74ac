package dev.herald.vertx;

import dev.herald.fixtures.Drain;

/**
 * {@code vertx-adapter/drain}: the shared drain run ({@link Drain}) on the Vert.x store, over the
 * kit fixture's pool in the given pipelining mode and a fresh table.
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
      Drain.run(
          new Drain.Target(
              "vertx",
              "pipelining limit " + pipelining,
              fixture.table,
              fixture::execute,
              fixture.query("SELECT count(*) FROM " + fixture.table, Long.class).next(),
              fixture::herald),
          tasks,
          inFlight);
    } finally {
      // Vert.x's event loop threads are not daemons: close it, or exec:java waits for ever.
      VertxFixture.shutdown();
    }
  }
}
