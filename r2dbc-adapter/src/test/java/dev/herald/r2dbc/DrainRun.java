package dev.herald.r2dbc;

import dev.herald.fixtures.Drain;

/**
 * {@code r2dbc-adapter/drain}: the shared drain run ({@link Drain}) on the R2DBC store, over the
 * kit fixture's pool and a fresh table.
 */
public final class DrainRun {

  private DrainRun() {}

  /**
   * Entry point.
   *
   * @param args [tasks] [maxInFlight]
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    try (R2dbcFixture fixture = new R2dbcFixture()) {
      Drain.run(
          new Drain.Target(
              "r2dbc",
              "",
              fixture.table,
              fixture::execute,
              fixture.query("SELECT count(*) FROM " + fixture.table, Long.class).next(),
              fixture::herald),
          tasks,
          inFlight);
    }
  }
}
