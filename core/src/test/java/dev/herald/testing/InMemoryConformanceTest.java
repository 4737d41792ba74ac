package dev.herald.testing;

import dev.herald.testkit.Conformance;
import dev.herald.testkit.StoreFixture;

/** The whole conformance kit against the in-memory store. */
class InMemoryConformanceTest implements Conformance {
  private final InMemoryFixture fixture = new InMemoryFixture();

  @Override
  public StoreFixture fixture() {
    return fixture;
  }
}
