package dev.herald.vertx;

import dev.herald.testkit.Conformance;
import dev.herald.testkit.StoreFixture;

/** The whole conformance kit against the Vert.x store, its connections pipelining (limit 256). */
class VertxConformanceIT implements Conformance {
  private final VertxFixture fixture = new VertxFixture(VertxFixture.PIPELINED);

  @Override
  public StoreFixture fixture() {
    return fixture;
  }
}
