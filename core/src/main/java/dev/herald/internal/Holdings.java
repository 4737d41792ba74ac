package dev.herald.internal;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskTokensParams;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this node holds: every task from the moment its claim returns until its outcome is recorded
 * or its lease is lost. The count is what {@code maxInFlight} bounds; freeing a slot calls back so
 * the dispatcher can claim again and a closing engine can see it has become idle.
 */
final class Holdings {

  private final String owner;
  private final Map<Long, Held> byId = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final Runnable onFreed;

  Holdings(String owner, Runnable onFreed) {
    this.owner = owner;
    this.onFreed = onFreed;
  }

  Held add(ClaimedTask task, ReceiverRuntime route, long leaseDeadline) {
    Held h = new Held(task, route, leaseDeadline);
    count.incrementAndGet();
    route.held.incrementAndGet();
    byId.put(task.id(), h);
    return h;
  }

  /** Gives up a task's slot; true only for the call that actually removed it. */
  boolean free(Held h) {
    if (!byId.remove(h.id(), h)) {
      return false;
    }
    h.route.held.decrementAndGet();
    count.decrementAndGet();
    onFreed.run();
    return true;
  }

  int count() {
    return count.get();
  }

  boolean holds(Held h) {
    return byId.get(h.id()) == h;
  }

  List<Held> snapshot() {
    return new ArrayList<>(byId.values());
  }

  /** Forgets everything without writing: the crash-test path. */
  void clear() {
    byId.clear();
  }

  TaskTokensParams tokens(Collection<Held> held) {
    long[] ids = new long[held.size()];
    int[] attempts = new int[held.size()];
    int i = 0;
    for (Held h : held) {
      ids[i] = h.id();
      attempts[i++] = h.task.attempt();
    }
    return new TaskTokensParams(owner, ids, attempts);
  }
}
