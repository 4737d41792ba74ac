package dev.herald.r2dbc;

import dev.herald.testkit.Conformance;
import dev.herald.testkit.StoreFixture;

/** The whole conformance kit against the R2DBC store on PostgreSQL. */
class R2dbcConformanceIT implements Conformance {
  private final R2dbcFixture fixture = new R2dbcFixture();

  @Override
  public StoreFixture fixture() {
    return fixture;
  }
}
