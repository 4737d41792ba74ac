package dev.herald.testkit;

import dev.herald.Delivery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records deliveries per receiver for assertions; thread-safe. */
public final class Recorder {

  /** One receiver invocation. */
  public record Call(String receiver, String key, long taskId, int attempt, long atNanos) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

  /** Records an invocation. */
  public void called(Delivery<Note> d) {
    calls.add(
        new Call(d.receiver(), d.payload().key(), d.taskId(), d.attempt(), System.nanoTime()));
  }

  /** Marks a delivery as started; returns the receiver's in-flight count including it. */
  public int enter(String scope) {
    int now = inFlight.computeIfAbsent(scope, k -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(scope, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    return now;
  }

  /** Marks a delivery as finished. */
  public void exit(String scope) {
    inFlight.get(scope).decrementAndGet();
  }

  /** Highest in-flight count seen in a scope. */
  public int maxInFlight(String scope) {
    AtomicInteger max = maxInFlight.get(scope);
    return max == null ? 0 : max.get();
  }

  /** All calls so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls of one receiver. */
  public List<Call> calls(String receiver) {
    return calls.stream().filter(c -> c.receiver().equals(receiver)).toList();
  }

  /** Calls of one receiver for one key. */
  public List<Call> calls(String receiver, String key) {
    return calls.stream()
        .filter(c -> c.receiver().equals(receiver) && c.key().equals(key))
        .toList();
  }
}
