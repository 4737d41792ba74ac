package dev.herald;

import dev.herald.spi.ClaimedTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one {@link EngineHooks}, which its parts hold from the start and which forwards to
 * whatever observer is installed later ({@link HeraldMetrics} when it binds). An observer that
 * throws is logged and never fails the delivery that called it.
 */
final class Hooks implements EngineHooks {

  private static final Logger log = LoggerFactory.getLogger(Hooks.class);

  private volatile EngineHooks target = EngineHooks.NONE;

  void install(EngineHooks hooks) {
    target = hooks;
  }

  @Override
  public void sent(String signal, long tasks) {
    try {
      target.sent(signal, tasks);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void attemptStarted(ClaimedTask task) {
    try {
      target.attemptStarted(task);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void attemptEnded(ClaimedTask task, long nanos, Throwable error) {
    try {
      target.attemptEnded(task, nanos, error);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void recorded(ClaimedTask task, Outcome outcome) {
    try {
      target.recorded(task, outcome);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void leaseLost(ClaimedTask task) {
    try {
      target.leaseLost(task);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private static void failed(RuntimeException e) {
    log.warn("Herald engine observer failed; the engine goes on", e);
  }
}
