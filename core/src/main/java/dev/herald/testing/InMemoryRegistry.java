package dev.herald.testing;

import dev.herald.spi.ReceiverKey;
import dev.herald.spi.ReceiverListRow;
import dev.herald.spi.ReceiverRegisterParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The receiver registry of {@link InMemoryTasks}: which receivers every send of a signal writes a
 * task for, whichever node sends. Guarded by its own monitor.
 */
final class InMemoryRegistry {

  private final TreeMap<ReceiverKey, ReceiverListRow> rows =
      new TreeMap<>(
          (a, b) -> {
            int bySignal = a.signal().compareTo(b.signal());
            return bySignal != 0 ? bySignal : a.receiver().compareTo(b.receiver());
          });

  synchronized void register(ReceiverRegisterParams p, Instant now) {
    for (ReceiverKey k : p.receivers()) {
      rows.put(k, new ReceiverListRow(k.signal(), k.receiver(), now, p.node()));
    }
  }

  synchronized boolean retire(ReceiverKey key) {
    return rows.remove(key) != null;
  }

  synchronized List<ReceiverListRow> list() {
    return new ArrayList<>(rows.values());
  }

  /** The sender's own receivers, then the registered ones it does not name, each once. */
  synchronized List<String> receiversOf(String signal, List<String> senders) {
    Set<String> all = new LinkedHashSet<>(senders);
    for (ReceiverKey k : rows.keySet()) {
      if (k.signal().equals(signal)) {
        all.add(k.receiver());
      }
    }
    return List.copyOf(all);
  }
}
