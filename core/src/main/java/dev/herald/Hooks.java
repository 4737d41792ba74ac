package dev.herald;

import dev.herald.spi.ClaimedTask;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one {@link EngineHooks}, which its parts hold from the start and which forwards to
 * the observers added later ({@link HeraldMetrics} when it binds), each in turn. An observer that
 * throws is logged and never fails the delivery that called it, nor keeps the others from hearing.
 */
final class Hooks implements EngineHooks {

  private static final Logger log = LoggerFactory.getLogger(Hooks.class);

  private final List<EngineHooks> observers = new CopyOnWriteArrayList<>();

  void add(EngineHooks observer) {
    observers.add(observer);
  }

  @Override
  public void sent(String signal, long tasks) {
    for (EngineHooks o : observers) {
      try {
        o.sent(signal, tasks);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  @Override
  public void attemptStarted(ClaimedTask task) {
    for (EngineHooks o : observers) {
      try {
        o.attemptStarted(task);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  @Override
  public void attemptEnded(ClaimedTask task, long nanos, Throwable error) {
    for (EngineHooks o : observers) {
      try {
        o.attemptEnded(task, nanos, error);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  @Override
  public void recorded(ClaimedTask task, Outcome outcome) {
    for (EngineHooks o : observers) {
      try {
        o.recorded(task, outcome);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  @Override
  public void leaseLost(ClaimedTask task) {
    for (EngineHooks o : observers) {
      try {
        o.leaseLost(task);
      } catch (RuntimeException e) {
        failed(e);
      }
    }
  }

  private static void failed(RuntimeException e) {
    log.warn("Herald engine observer failed; the engine goes on", e);
  }
}
