package dev.herald.vertx;

import dev.herald.testkit.Conformance;
import dev.herald.testkit.StoreFixture;

/** The whole conformance kit against the Vert.x store, without pipelining (limit 1). */
class VertxSequentialConformanceIT implements Conformance {
  private final VertxFixture fixture = new VertxFixture(VertxFixture.SEQUENTIAL);

  @Override
  public StoreFixture fixture() {
    return fixture;
  }
}
