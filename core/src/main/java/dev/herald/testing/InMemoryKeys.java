package dev.herald.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending dedupe keys of {@link InMemoryTasks}. A key is taken when a send writes its task into
 * a transaction, not at commit: a concurrent send of the same key is then deduplicated at once,
 * where a database would make it wait for the first transaction and deduplicate it once that
 * commits (a rollback gives the key back). Guarded by the store's monitor.
 */
final class InMemoryKeys {

  private record Key(String signal, String dedupeKey, String receiver) {}

  private final Map<Key, Long> taskByKey = new HashMap<>();
  private final Map<Long, Key> keyByTask = new HashMap<>();

  /** Takes the key for a task; false when a pending task of the receiver holds it. */
  boolean take(String signal, String dedupeKey, String receiver, long taskId) {
    Key key = new Key(signal, dedupeKey, receiver);
    if (taskByKey.putIfAbsent(key, taskId) != null) {
      return false;
    }
    keyByTask.put(taskId, key);
    return true;
  }

  /** Releases the key a task holds, if any. */
  void release(long taskId) {
    Key key = keyByTask.remove(taskId);
    if (key != null) {
      taskByKey.remove(key);
    }
  }

  /** The tasks holding a key of a signal, one per receiver at most. */
  List<Long> tasksOf(String signal, String dedupeKey) {
    List<Long> ids = new ArrayList<>();
    taskByKey.forEach(
        (k, id) -> {
          if (k.signal().equals(signal) && k.dedupeKey().equals(dedupeKey)) {
            ids.add(id);
          }
        });
    return ids;
  }
}
