package dev.herald.dashboard;

import dev.herald.Herald;
import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the dashboard reads, through Herald's public API only, each read bounded: stats by
 * their cap, dead-letter pages keyset-paged by id, a reason filter by at most {@code maxScan} rows.
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

  /** A task by id, ready or dead, through the keyset pages (the first row after id - 1). */
  Mono<TaskInfo> task(long id) {
    if (id < 1) {
      return Mono.empty();
    }
    Flux<TaskInfo> ready = herald.readyTasks(null, null, id - 1, 1);
    Flux<TaskInfo> dead = herald.deadLetters().list(null, null, id - 1, 1);
    return Flux.concat(dead, ready).filter(t -> t.id() == id).next();
  }
}
