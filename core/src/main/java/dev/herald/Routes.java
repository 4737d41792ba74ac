package dev.herald;

import dev.herald.spi.ReceiverKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The receivers connected or declared on this node, by (signal, receiver) and by signal, and the
 * signals that may be sent with no receiver. Written only while receivers are connected (before
 * start); read lock-free on every claim and send.
 */
final class Routes {

  private final Map<String, ReceiverRuntime> byKey = new ConcurrentHashMap<>();
  private volatile Map<String, List<String>> receiversBySignal = Map.of();
  private volatile List<ReceiverRuntime> all = List.of();
  private final List<ReceiverKey> declared = new CopyOnWriteArrayList<>();
  private volatile Set<String> mayGoUnheard = Set.of();

  synchronized void add(ReceiverRuntime rt) {
    Route<?> route = rt.route;
    name(route.signal(), route.receiverName());
    byKey.put(route.key(), rt);
    List<ReceiverRuntime> next = new ArrayList<>(all);
    next.add(rt);
    all = List.copyOf(next);
  }

  /** A receiver this node's sends write tasks for but whose tasks it never claims. */
  synchronized void declare(String signal, String receiver) {
    name(signal, receiver);
    declared.add(new ReceiverKey(signal, receiver));
  }

  synchronized void allowNoReceivers(String signal) {
    Set<String> next = new HashSet<>(mayGoUnheard);
    next.add(signal);
    mayGoUnheard = Set.copyOf(next);
  }

  boolean mayGoUnheard(String signal) {
    return mayGoUnheard.contains(signal);
  }

  /** Every receiver this node runs or declares: what it registers. */
  synchronized List<ReceiverKey> registered() {
    List<ReceiverKey> keys = new ArrayList<>();
    for (ReceiverRuntime rt : all) {
      keys.add(new ReceiverKey(rt.route.signal(), rt.route.receiverName()));
    }
    keys.addAll(declared);
    return keys;
  }

  boolean declares(String signal, String receiver) {
    return declared.contains(new ReceiverKey(signal, receiver));
  }

  private void name(String signal, String receiver) {
    List<String> receivers = new ArrayList<>(receiversBySignal.getOrDefault(signal, List.of()));
    if (receivers.contains(receiver)) {
      throw new IllegalArgumentException(
          "receiver '"
              + receiver
              + "' is already "
              + (declared.contains(new ReceiverKey(signal, receiver)) ? "declared" : "connected")
              + " for signal '"
              + signal
              + "'");
    }
    receivers.add(receiver);
    Map<String, List<String>> bySignal = new HashMap<>(receiversBySignal);
    bySignal.put(signal, List.copyOf(receivers));
    receiversBySignal = Map.copyOf(bySignal);
  }

  ReceiverRuntime get(String signal, String receiver) {
    return byKey.get(Route.key(signal, receiver));
  }

  /** The receivers this node's sends name: connected and declared ones. */
  List<String> receiversOf(String signal) {
    return receiversBySignal.getOrDefault(signal, List.of());
  }

  /** Every route, in connection order; a stable snapshot. */
  List<ReceiverRuntime> all() {
    return all;
  }
}
