package dev.herald.spring;

import dev.herald.DeadLetters;
import dev.herald.Herald;
import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code herald} actuator endpoint: backlog, breakers and dead letters of every receiver, and
 * (only with {@code management.endpoint.herald.access=unrestricted}) requeueing or purging dead
 * letters.
 *
 * <ul>
 *   <li>{@code GET /actuator/herald}: this node and, per receiver, the counts of {@link
 *       Herald#stats()};
 *   <li>{@code GET /actuator/herald/dead-letters?signal=&receiver=&afterId=&limit=}: a page of dead
 *       letters by id (limit 1 to {@value #MAX_PAGE}, 50 by default), with the id to pass as {@code
 *       afterId} for the next page;
 *   <li>{@code GET /actuator/herald/tasks/{id}}: the task with that id in any state ({@link
 *       Herald#findTask(long)}), 404 when there is none; {@code GET
 *       /actuator/herald/tasks/{signal}?dedupeKey=&limit=}: the signal's tasks sent with that
 *       dedupe key in any state, newest first ({@link Herald#findTasks(String, String, int)}; limit
 *       1 to {@value #MAX_PAGE}, 50 by default);
 *   <li>{@code POST /actuator/herald/dead-letters} with a JSON body {@code {"action": "requeue" |
 *       "purge", "ids": "12,15"}} or {@code {"action": "requeue-all" | "purge-all", "signal": ...,
 *       "receiver": ...}} (a signal is required, the receiver optional): answers how many tasks
 *       changed.
 * </ul>
 *
 * <p>Writes are off by default: the endpoint's default access is read-only, so Spring Boot does not
 * expose the POST at all until {@code management.endpoint.herald.access=unrestricted}. Like every
 * actuator endpoint it is not exposed over HTTP until listed in {@code
 * management.endpoints.web.exposure.include}, and it follows the application's Spring Security
 * rules when Spring Security is present.
 */
@Endpoint(id = "herald", defaultAccess = Access.READ_ONLY)
public class HeraldEndpoint {

  static final int MAX_PAGE = 500;
  private static final int DEFAULT_PAGE = 50;
  private static final String DEAD_LETTERS = "dead-letters";
  private static final String TASKS = "tasks";

  private final Herald herald;

  HeraldEndpoint(Herald herald) {
    this.herald = herald;
  }

  /**
   * This node and every receiver's counts.
   *
   * @return node id, whether it listens, and one entry per receiver
   */
  @ReadOperation
  public Mono<Map<String, Object>> overview() {
    return herald
        .stats()
        .map(HeraldEndpoint::receiver)
        .collectList()
        .map(
            receivers -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("node", herald.nodeId());
              body.put("listening", herald.listening());
              body.put("receivers", receivers);
              return body;
            });
  }

  /**
   * A page of dead letters.
   *
   * @param view {@code dead-letters}
   * @param signal only this signal
   * @param receiver only this receiver
   * @param afterId only ids above this (the previous page's {@code next})
   * @param limit page size, 1 to {@value #MAX_PAGE}; 50 by default
   * @return the page, 404 for another view, 400 for a bad limit
   */
  @ReadOperation
  public Mono<WebEndpointResponse<Map<String, Object>>> deadLetters(
      @Selector String view,
      @Nullable String signal,
      @Nullable String receiver,
      @Nullable Long afterId,
      @Nullable Integer limit) {
    if (!DEAD_LETTERS.equals(view)) {
      return Mono.just(problem(WebEndpointResponse.STATUS_NOT_FOUND, "no such view: " + view));
    }
    int size = limit == null ? DEFAULT_PAGE : limit;
    if (size < 1 || size > MAX_PAGE) {
      return Mono.just(
          problem(
              WebEndpointResponse.STATUS_BAD_REQUEST,
              "limit must be between 1 and " + MAX_PAGE + ", but was " + size));
    }
    return herald
        .deadLetters()
        .list(signal, receiver, afterId == null ? 0 : afterId, size)
        .collectList()
        .map(
            tasks -> {
              Map<String, Object> body = new LinkedHashMap<>();
              // TaskInfo is a record: the actuator's JSON mapper writes each of its fields.
              body.put("tasks", tasks);
              body.put("next", tasks.size() < size ? null : tasks.get(tasks.size() - 1).id());
              return new WebEndpointResponse<>(body);
            });
  }

  /**
   * Tasks by id, or by a signal's dedupe key, whatever their state.
   *
   * @param view {@code tasks}
   * @param idOrSignal a task id; with {@code dedupeKey}, a signal's name
   * @param dedupeKey the key the signal's tasks were sent with, or null to find by id
   * @param limit with {@code dedupeKey}, the most tasks answered, 1 to {@value #MAX_PAGE}; 50 by
   *     default
   * @return {@code tasks}, newest first; 404 for an unknown id or another view, 400 for a bad id,
   *     name, key or limit
   */
  @ReadOperation
  public Mono<WebEndpointResponse<Map<String, Object>>> tasks(
      @Selector String view,
      @Selector String idOrSignal,
      @Nullable String dedupeKey,
      @Nullable Integer limit) {
    if (!TASKS.equals(view)) {
      return Mono.just(problem(WebEndpointResponse.STATUS_NOT_FOUND, "no such view: " + view));
    }
    if (dedupeKey == null) {
      long id;
      try {
        id = Long.parseLong(idOrSignal);
      } catch (NumberFormatException e) {
        return Mono.just(
            badRequest("expected a task id, or a signal with dedupeKey, but got " + idOrSignal));
      }
      return herald
          .findTask(id)
          .map(t -> new WebEndpointResponse<>(tasks(List.of(t))))
          .defaultIfEmpty(problem(WebEndpointResponse.STATUS_NOT_FOUND, "no task " + id));
    }
    int size = limit == null ? DEFAULT_PAGE : limit;
    if (size < 1 || size > MAX_PAGE) {
      return Mono.just(badRequest("limit must be between 1 and " + MAX_PAGE + ", but was " + size));
    }
    Flux<TaskInfo> found;
    try {
      found = herald.findTasks(idOrSignal, dedupeKey, size);
    } catch (IllegalArgumentException e) {
      return Mono.just(badRequest(e.getMessage()));
    }
    return found.collectList().map(t -> new WebEndpointResponse<>(tasks(t)));
  }

  // TaskInfo is a record: the actuator's JSON mapper writes each of its fields.
  private static Map<String, Object> tasks(List<TaskInfo> tasks) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tasks", tasks);
    return body;
  }

  /**
   * Requeues or purges dead letters. Exposed only with unrestricted access.
   *
   * @param view {@code dead-letters}
   * @param action {@code requeue}, {@code purge}, {@code requeue-all} or {@code purge-all}
   * @param ids the tasks, for {@code requeue} and {@code purge}: ids separated by commas (an
   *     actuator body holds flat values only)
   * @param signal the signal, for the {@code -all} actions
   * @param receiver only this receiver of the signal, for the {@code -all} actions
   * @return how many tasks changed, 400 for a bad request, 404 for another view
   */
  @WriteOperation
  public Mono<WebEndpointResponse<Map<String, Object>>> changeDeadLetters(
      @Selector String view,
      String action,
      @Nullable String ids,
      @Nullable String signal,
      @Nullable String receiver) {
    if (!DEAD_LETTERS.equals(view)) {
      return Mono.just(problem(WebEndpointResponse.STATUS_NOT_FOUND, "no such view: " + view));
    }
    DeadLetters dead = herald.deadLetters();
    Mono<Long> changed;
    switch (action) {
      case "requeue", "purge" -> {
        long[] each = parseIds(ids);
        if (each.length == 0) {
          return Mono.just(badRequest(action + " needs ids, separated by commas, but got " + ids));
        }
        changed = action.equals("requeue") ? dead.requeue(each) : dead.purge(each);
      }
      case "requeue-all", "purge-all" -> {
        if (signal == null || signal.isBlank()) {
          return Mono.just(badRequest(action + " needs a signal"));
        }
        changed =
            action.equals("requeue-all")
                ? dead.requeueAll(signal, receiver)
                : dead.purgeAll(signal, receiver);
      }
      default -> {
        return Mono.just(
            badRequest(
                "action must be requeue, purge, requeue-all or purge-all, but was " + action));
      }
    }
    return changed.map(
        n -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("action", action);
          body.put("changed", n);
          return new WebEndpointResponse<>(body);
        });
  }

  // Empty when absent or malformed: the caller answers 400 either way.
  private static long[] parseIds(String ids) {
    if (ids == null || ids.isBlank()) {
      return new long[0];
    }
    try {
      return Arrays.stream(ids.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    } catch (NumberFormatException e) {
      return new long[0];
    }
  }

  private static Map<String, Object> receiver(ReceiverStats s) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("signal", s.signal());
    r.put("receiver", s.receiver());
    r.put("connected", s.connected());
    r.put("ready", count(s.ready(), s.readyCapped()));
    r.put("oldestReady", s.oldestReady().toString());
    r.put("running", count(s.running(), s.runningCapped()));
    r.put("scheduled", count(s.scheduled(), s.scheduledCapped()));
    r.put("dead", count(s.dead(), s.deadCapped()));
    r.put("heldHere", s.held());
    r.put("runningHere", s.runningHere());
    r.put("breaker", s.breaker() == null ? null : s.breaker().name());
    return r;
  }

  // A count that reached the stats cap is a lower bound: "10000+".
  private static Object count(long n, boolean capped) {
    return capped ? n + "+" : n;
  }

  private static WebEndpointResponse<Map<String, Object>> badRequest(String message) {
    return problem(WebEndpointResponse.STATUS_BAD_REQUEST, message);
  }

  private static WebEndpointResponse<Map<String, Object>> problem(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return new WebEndpointResponse<>(body, status);
  }
}
