package dev.herald.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the suite's child JVMs: one {@link Workloads} run each, on the suite's classpath, against
 * the server it is given, writing its figures as JSON and its output to a log in the output
 * directory. A child that fails, times out or writes no figures is reported to the failure sink.
 */
final class Children {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path dir;
  private final boolean jfr;
  private final Consumer<String> fail;

  Children(Path dir, boolean jfr, Consumer<String> fail) {
    this.dir = dir;
    this.jfr = jfr;
    this.fail = fail;
  }

  /**
   * Runs one workload in a fresh JVM.
   *
   * @param db the server the workload uses
   * @param pgPid its postmaster's pid, or -1
   * @param name the output files' base name
   * @param jvmArgs JVM options, or none for {@code -Xmx1g}
   * @param profileable whether {@code --jfr} records this JVM
   * @param args the workload and its arguments
   * @return its figures, or null (reported as a failure)
   */
  Map<String, Object> run(
      BenchDatabase db,
      long pgPid,
      String name,
      List<String> jvmArgs,
      boolean profileable,
      String... args) {
    return run(Duration.ofMinutes(20), db, pgPid, name, jvmArgs, profileable, args);
  }

  /** As {@link #run(BenchDatabase, long, String, List, boolean, String...)}, with a time limit. */
  Map<String, Object> run(
      Duration limit,
      BenchDatabase db,
      long pgPid,
      String name,
      List<String> jvmArgs,
      boolean profileable,
      String... args) {
    progress(name + " ...");
    Path out = dir.resolve(name + ".json");
    Path log = dir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java"));
    cmd.addAll(jvmArgs.isEmpty() ? List.of("-Xmx1g") : jvmArgs);
    cmd.add("-D" + BenchDatabase.PROPERTY + "=" + db.url());
    cmd.add("-D" + BenchDatabase.KIND_PROPERTY + "=" + db.kind());
    cmd.add("-Dherald.bench.pgpid=" + pgPid);
    cmd.add("-Dherald.bench.out=" + out);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    for (String passed :
        List.of(
            "herald.bench.pool", "herald.bench.dispatcherPool", "herald.bench.tracePositions")) {
      String value = System.getProperty(passed);
      if (value != null) {
        cmd.add("-D" + passed + "=" + value);
      }
    }
    if (jfr && profileable) {
      cmd.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + dir.resolve(name + ".jfr")
              + ",dumponexit=true");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Workloads.class.getName());
    cmd.addAll(List.of(args));
    try {
      Files.deleteIfExists(out);
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail.accept(name + ": timed out; see " + log);
        return null;
      }
      if (p.exitValue() != 0 || !Files.exists(out)) {
        fail.accept(name + ": exit " + p.exitValue() + "; " + tail(log) + " (see " + log + ")");
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> r = JSON.readValue(out.toFile(), LinkedHashMap.class);
      progress(name + ": " + summary(r));
      return r;
    } catch (IOException e) {
      fail.accept(name + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail.accept(name + ": interrupted");
      return null;
    }
  }

  /** A line on standard error, with the time. */
  static void progress(String message) {
    System.err.println("[bench " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
  }

  private static String summary(Map<String, Object> r) {
    if (r.containsKey("tasksPerSecond")) {
      return String.format(
          Locale.ROOT, "%.0f tasks/s", ((Number) r.get("tasksPerSecond")).doubleValue());
    }
    if (r.get("sendToStart") instanceof Map<?, ?> m) {
      return "p50 " + m.get("p50") + " ms, p99 " + m.get("p99") + " ms";
    }
    return "done";
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
      return String.join(" | ", last);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
