package dev.herald;

import dev.herald.spi.TaskStatsParams;
import dev.herald.spi.TaskStatsRow;
import dev.herald.spi.TaskStore;
import java.time.Duration;
import reactor.core.publisher.Flux;

/**
 * {@link Herald#stats(int)}: the store's bounded counts per pair, for the registry's pairs and this
 * node's own (which it may not have registered yet), joined with what this node holds of each.
 */
final class StatsQuery {

  private final TaskStore store;
  private final StoreCalls calls;
  private final Routes routes;

  StatsQuery(TaskStore store, StoreCalls calls, Routes routes) {
    this.store = store;
    this.calls = calls;
    this.routes = routes;
  }

  Flux<ReceiverStats> stats(int cap) {
    return Flux.defer(
            () ->
                calls.limit(
                    "taskStats", store.taskStats(new TaskStatsParams(routes.registered(), cap))))
        .map(row -> of(row, cap));
  }

  /** This node's breaker state for the pair, live, or null when not connected or unguarded. */
  BreakerState breaker(String signal, String receiver) {
    ReceiverRuntime rt = routes.get(signal, receiver);
    return rt == null ? null : rt.breakerState();
  }

  /** Tasks of the pair this node holds now (0 when not connected here). */
  int held(String signal, String receiver) {
    ReceiverRuntime rt = routes.get(signal, receiver);
    return rt == null ? 0 : rt.held.get();
  }

  private ReceiverStats of(TaskStatsRow r, int cap) {
    ReceiverRuntime rt = routes.get(r.signal(), r.receiver());
    return new ReceiverStats(
        r.signal(),
        r.receiver(),
        r.ready(),
        r.ready() >= cap,
        r.oldestReady() == null ? Duration.ZERO : r.oldestReady(),
        r.running(),
        r.due() >= cap,
        r.scheduled(),
        r.scheduled() >= cap,
        r.dead(),
        r.dead() >= cap,
        rt != null,
        rt == null ? 0 : rt.held.get(),
        rt == null ? 0 : rt.running.get(),
        rt == null ? null : rt.breakerState());
  }
}
