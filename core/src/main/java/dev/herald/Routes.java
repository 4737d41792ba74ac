package dev.herald;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receivers connected on this node, by (signal, receiver) and by signal. Written only while
 * receivers are connected (before start); read lock-free on every claim and send.
 */
final class Routes {

  private final Map<String, ReceiverRuntime> byKey = new ConcurrentHashMap<>();
  private volatile Map<String, List<String>> receiversBySignal = Map.of();
  private volatile List<ReceiverRuntime> all = List.of();

  synchronized void add(ReceiverRuntime rt) {
    Route<?> route = rt.route;
    if (byKey.putIfAbsent(route.key(), rt) != null) {
      throw new IllegalArgumentException(
          "receiver '"
              + route.receiverName()
              + "' is already connected to signal '"
              + route.signal()
              + "'");
    }
    Map<String, List<String>> bySignal = new HashMap<>(receiversBySignal);
    List<String> receivers = new ArrayList<>(bySignal.getOrDefault(route.signal(), List.of()));
    receivers.add(route.receiverName());
    bySignal.put(route.signal(), List.copyOf(receivers));
    receiversBySignal = Map.copyOf(bySignal);
    List<ReceiverRuntime> next = new ArrayList<>(all);
    next.add(rt);
    all = List.copyOf(next);
  }

  ReceiverRuntime get(String signal, String receiver) {
    return byKey.get(Route.key(signal, receiver));
  }

  List<String> receiversOf(String signal) {
    return receiversBySignal.getOrDefault(signal, List.of());
  }

  /** Every route, in connection order; a stable snapshot. */
  List<ReceiverRuntime> all() {
    return all;
  }
}
