package dev.herald;

import dev.herald.spi.ClaimedTask;
import dev.herald.spi.TaskTokens;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this node holds: every task from the moment its claim returns until its outcome is recorded
 * or its lease is lost. The count is what {@code maxInFlight} bounds; freeing a slot calls back so
 * the dispatcher can claim again and a closing engine can see it has become idle.
 */
final class Holdings {

  private final String owner;
  // By identity, not by task id: after a lost lease this node may claim the same task again (a
  // newer attempt) while the older holding still waits for its outcome write to be fenced out.
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
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
    held.add(h);
    return h;
  }

  /** Gives up a task's slot; true only for the call that actually removed it. */
  boolean free(Held h) {
    if (!held.remove(h)) {
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
    return held.contains(h);
  }

  List<Held> snapshot() {
    return new ArrayList<>(held);
  }

  /** Forgets everything without writing: the crash-test path. */
  void clear() {
    held.clear();
  }

  /**
   * The claim tokens of some held tasks, for one statement. A task id appears once, with its newest
   * attempt: an older holding of the same task is fenced out already, and the statement matches a
   * row's attempt by the id's first position.
   */
  TaskTokens tokens(Collection<Held> tasks) {
    Map<Long, Integer> newest = newestAttempts(tasks);
    long[] ids = new long[newest.size()];
    int[] attempts = new int[newest.size()];
    int i = 0;
    for (Map.Entry<Long, Integer> e : newest.entrySet()) {
      ids[i] = e.getKey();
      attempts[i++] = e.getValue();
    }
    return new TaskTokens(owner, ids, attempts);
  }

  /** Whether a statement over {@code tasks} that matched {@code ids} matched this holding. */
  static boolean matched(Held h, Set<Long> ids, Map<Long, Integer> newest) {
    return ids.contains(h.id()) && newest.get(h.id()) == h.task.attempt();
  }

  static Map<Long, Integer> newestAttempts(Collection<Held> tasks) {
    Map<Long, Integer> newest = new LinkedHashMap<>();
    for (Held h : tasks) {
      newest.merge(h.id(), h.task.attempt(), Math::max);
    }
    return newest;
  }
}
