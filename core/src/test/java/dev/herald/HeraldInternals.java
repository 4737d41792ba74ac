package dev.herald;

/** Test access to engine internals that applications never need. */
public final class HeraldInternals {
  private HeraldInternals() {}

  /**
   * Kills the dispatcher as SIGKILL would: nothing is acknowledged, released or extended.
   *
   * @param herald the instance
   */
  public static void crash(Herald herald) {
    herald.engine().crash();
  }
}
