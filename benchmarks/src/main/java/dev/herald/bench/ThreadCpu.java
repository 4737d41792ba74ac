package dev.herald.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads, by kind, between two readings: which threads a workload's CPU
 * went to, the JVM's own (JIT compilers, GC) included. Read from {@code /proc/self/task}, where a
 * thread's name is cut to 15 characters; numbers become {@code N}, so {@code reactor-tcp-epoll-3}
 * is {@code reactor-tcp-epo}, {@code C2 CompilerThread0} is {@code C2 CompilerThreN}. A thread that
 * ended between the readings is not counted.
 */
final class ThreadCpu {

  private ThreadCpu() {}

  /** CPU ticks of every live thread, by thread id, with its kind. */
  static Map<Long, Map.Entry<String, Long>> read() {
    Map<Long, Map.Entry<String, Long>> r = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        String s;
        try {
          s = Files.readString(t.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')');
        String name = s.substring(open + 1, close);
        // Fields after the name: state is field 3, utime and stime are fields 14 and 15.
        String[] f = s.substring(close + 2).trim().split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        r.put(Long.parseLong(t.getFileName().toString()), Map.entry(kind(name), ticks));
      }
    } catch (IOException e) {
      return Map.of();
    }
    return r;
  }

  /** Percent of one core per thread kind between two readings over {@code wallNanos}. */
  static Map<String, Double> since(
      Map<Long, Map.Entry<String, Long>> before,
      Map<Long, Map.Entry<String, Long>> after,
      long wallNanos) {
    Map<String, Long> ticks = new HashMap<>();
    after.forEach(
        (id, now) -> {
          Map.Entry<String, Long> then = before.get(id);
          long used = now.getValue() - (then == null ? 0 : then.getValue());
          ticks.merge(now.getKey(), used, Long::sum);
        });
    Map<String, Double> pct = new TreeMap<>();
    ticks.forEach(
        (kind, n) -> {
          double p = 100.0 * Cpu.ticksToNanos(n) / wallNanos;
          if (p >= 0.5) {
            pct.put(kind, Math.round(p * 10) / 10.0);
          }
        });
    return pct;
  }

  private static String kind(String name) {
    return name.replaceAll("[0-9]+", "N");
  }
}
