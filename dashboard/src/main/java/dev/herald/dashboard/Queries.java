package dev.herald.dashboard;

import dev.herald.Herald;
import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the dashboard reads, through Herald's public API only, each read bounded: stats by
 * their cap, dead-letter pages keyset-paged by id, a reason filter by at most {@code maxScan} rows,
 * the task search by its limit per signal.
 */
final class Queries {

  private final Herald herald;
  private final int statsCap;
  private final int maxScan;

  Queries(Herald herald, int statsCap, int maxScan) {
    this.herald = herald;
    this.statsCap = statsCap;
    this.maxScan = maxScan;
  }

  Mono<List<ReceiverStats>> stats() {
    return herald.stats(statsCap).collectList();
  }

  /** A dead-letter page; {@code next} is the id to continue after, or 0 at the end. */
  record DeadPage(List<TaskInfo> tasks, long next, int scanned, boolean scanLimited) {}

  Mono<DeadPage> deadPage(Filter filter, long afterId, int size) {
    if (filter.reason() == null) {
      return herald
          .deadLetters()
          .list(filter.signal(), filter.receiver(), afterId, size)
          .collectList()
          .map(
              tasks ->
                  new DeadPage(
                      tasks,
                      tasks.size() < size ? 0 : tasks.get(tasks.size() - 1).id(),
                      tasks.size(),
                      false));
    }
    return scan(filter, afterId, size, new ArrayList<>(), 0);
  }

  // The reason is not a store filter: read pages by id and keep the matches, until the page is
  // full, the dead letters end, or maxScan rows were read (then "next" continues the scan).
  private Mono<DeadPage> scan(
      Filter filter, long afterId, int size, List<TaskInfo> kept, int scanned) {
    int batch = Math.min(Math.max(size, 200), maxScan - scanned);
    return herald
        .deadLetters()
        .list(filter.signal(), filter.receiver(), afterId, batch)
        .collectList()
        .flatMap(
            rows -> {
              int read = scanned;
              long last = afterId;
              for (TaskInfo t : rows) {
                read++;
                last = t.id();
                if (filter.matches(t)) {
                  kept.add(t);
                  if (kept.size() == size) {
                    return Mono.just(new DeadPage(kept, t.id(), read, false));
                  }
                }
              }
              if (rows.size() < batch) {
                return Mono.just(new DeadPage(kept, 0, read, false));
              }
              if (read >= maxScan) {
                return Mono.just(new DeadPage(kept, last, read, true));
              }
              return scan(filter, last, size, kept, read);
            });
  }

  /** Ids of dead letters matching a reason filter, among at most {@code maxScan} rows. */
  Mono<DeadPage> matchingIds(Filter filter) {
    return scan(filter, 0, maxScan, new ArrayList<>(), 0);
  }

  /** How many dead letters a filter without reason covers, from the capped stats. */
  record Count(long n, boolean atLeast) {}

  Mono<Count> deadCount(Filter filter) {
    return herald
        .stats(statsCap)
        .filter(s -> filter.matchesPair(s.signal(), s.receiver()))
        .reduce(
            new Count(0, false),
            (c, s) -> new Count(c.n() + s.dead(), c.atLeast() || s.deadCapped()));
  }

  /**
   * What the task search found for {@code text}: the task whose id it is (when it is a number), and
   * the tasks sent with it as dedupe key, of {@code signal} or of every signal in {@code signals};
   * newest first, each once, at most {@code limit}.
   */
  record Search(String text, String signal, List<TaskInfo> tasks) {}

  Mono<Search> search(String text, String signal, List<String> signals, int limit) {
    long id = Routes.parseId(text);
    Flux<TaskInfo> byId = id > 0 ? herald.findTask(id).flux() : Flux.empty();
    // One indexed lookup per signal, each stopped at the limit: a key is unique per signal only.
    Flux<TaskInfo> byKey =
        Flux.fromIterable(signal != null ? List.of(signal) : signals)
            .flatMapSequential(s -> byKey(s, text, limit), 4);
    return Flux.concat(byId, byKey)
        .collectList()
        .map(
            found -> {
              Map<Long, TaskInfo> once = new TreeMap<>(Comparator.reverseOrder());
              found.forEach(t -> once.putIfAbsent(t.id(), t));
              return new Search(text, signal, once.values().stream().limit(limit).toList());
            });
  }

  // Text that is no valid key (blank, too long, control characters) is no signal's key.
  private Flux<TaskInfo> byKey(String signal, String key, int limit) {
    return Flux.defer(() -> herald.findTasks(signal, key, limit))
        .onErrorResume(IllegalArgumentException.class, e -> Flux.empty());
  }
}
