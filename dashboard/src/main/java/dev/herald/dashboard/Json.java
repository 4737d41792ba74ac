package dev.herald.dashboard;

import dev.herald.ReceiverStats;
import dev.herald.TaskInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The JSON model of the dashboard (what {@code /api/...} answers), written by Jackson. */
final class Json {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  static Map<String, Object> stats(
      String node, boolean listening, List<ReceiverStats> stats, History history) {
    List<Map<String, Object>> receivers = new ArrayList<>();
    for (ReceiverStats s : stats) {
      History.Window w = history.window(s.signal(), s.receiver());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("signal", s.signal());
      r.put("receiver", s.receiver());
      r.put("connected", s.connected());
      r.put("ready", s.ready());
      r.put("readyCapped", s.readyCapped());
      r.put("oldestReadySeconds", s.oldestReady().toMillis() / 1000.0);
      r.put("running", s.running());
      r.put("runningCapped", s.runningCapped());
      r.put("scheduled", s.scheduled());
      r.put("scheduledCapped", s.scheduledCapped());
      r.put("dead", s.dead());
      r.put("deadCapped", s.deadCapped());
      r.put("heldHere", s.held());
      r.put("runningHere", s.runningHere());
      r.put("breaker", s.breaker() == null ? null : s.breaker().name());
      r.put("delivered", w.delivered());
      r.put("failed", w.failed());
      r.put("failureRate", w.failureRate());
      receivers.add(r);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node);
    body.put("listening", listening);
    body.put("receivers", receivers);
    return body;
  }

  static Map<String, Object> deadLetters(Queries.DeadPage page) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskInfo t : page.tasks()) {
      tasks.add(task(t));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tasks", tasks);
    body.put("next", page.next() == 0 ? null : page.next());
    return body;
  }

  static Map<String, Object> tasks(List<TaskInfo> found) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (TaskInfo t : found) {
      tasks.add(task(t));
    }
    return Map.of("tasks", tasks);
  }

  static Map<String, Object> task(TaskInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("state", t.state());
    m.put("signal", t.signal());
    m.put("receiver", t.receiver());
    m.put("attempt", t.attempt());
    m.put("createdAt", String.valueOf(t.createdAt()));
    m.put("runAt", String.valueOf(t.runAt()));
    m.put("lastError", t.lastError());
    m.put("payload", t.payload());
    m.put("dedupeKey", t.dedupeKey());
    m.put("leasedBy", t.leasedBy());
    m.put("leasedUntil", t.leasedUntil() == null ? null : t.leasedUntil().toString());
    return m;
  }
}
