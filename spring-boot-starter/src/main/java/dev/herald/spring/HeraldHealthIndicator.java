package dev.herald.spring;

import dev.herald.BreakerState;
import dev.herald.Herald;
import dev.herald.ReceiverStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Herald's health: the store answers ({@link Herald#stats()} within the timeout), this node listens
 * for wakeups, and the configured limits on backlog age, dead letters and open breakers hold. The
 * details say what was seen and, when DOWN, why.
 */
final class HeraldHealthIndicator implements ReactiveHealthIndicator {

  private final Herald herald;
  private final HeraldHealthProperties limits;
  private final boolean listens;

  HeraldHealthIndicator(Herald herald, HeraldHealthProperties limits, boolean listens) {
    this.herald = herald;
    this.limits = limits;
    this.listens = listens;
  }

  @Override
  public Mono<Health> health() {
    return herald
        .stats()
        .collectList()
        .timeout(limits.timeout())
        .map(this::assess)
        .onErrorResume(
            e ->
                Mono.just(
                    Health.down()
                        .withDetail("store", "unreachable: " + e)
                        .withDetail("listener", listener())
                        .build()));
  }

  private Health assess(List<ReceiverStats> stats) {
    List<String> problems = new ArrayList<>();
    if (listens && !herald.listening()) {
      problems.add("not listening for wakeups: other nodes' sends are found by polling only");
    }
    Duration oldest = Duration.ZERO;
    String oldestPair = null;
    long dead = 0;
    boolean deadCapped = false;
    List<String> open = new ArrayList<>();
    for (ReceiverStats s : stats) {
      String pair = s.signal() + "/" + s.receiver();
      if (s.oldestReady().compareTo(oldest) > 0) {
        oldest = s.oldestReady();
        oldestPair = pair;
      }
      dead += s.dead();
      deadCapped |= s.deadCapped();
      if (s.breaker() == BreakerState.OPEN) {
        open.add(pair);
      }
    }
    if (limits.maxOldestReady() != null && oldest.compareTo(limits.maxOldestReady()) > 0) {
      problems.add(
          "oldest ready task of "
              + oldestPair
              + " due for "
              + oldest
              + ", above "
              + limits.maxOldestReady());
    }
    if (limits.maxDead() != null && dead > limits.maxDead()) {
      problems.add(dead + (deadCapped ? "+" : "") + " dead letters, above " + limits.maxDead());
    }
    if (limits.downWhenBreakerOpen() && !open.isEmpty()) {
      problems.add("breakers open: " + open);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", "reachable");
    details.put("listener", listener());
    details.put("receivers", stats.size());
    details.put("oldestReady", oldest.toString());
    if (oldestPair != null) {
      details.put("oldestReadyReceiver", oldestPair);
    }
    details.put("dead", deadCapped ? dead + "+" : dead);
    details.put("openBreakers", open);
    if (!problems.isEmpty()) {
      details.put("problems", problems);
    }
    return (problems.isEmpty() ? Health.up() : Health.down()).withDetails(details).build();
  }

  private String listener() {
    if (!listens) {
      return "off";
    }
    return herald.listening() ? "listening" : "not listening";
  }
}
