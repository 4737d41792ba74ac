package dev.herald.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM and of the PostgreSQL server (postmaster, its live backends and the backends
 * it has reaped), read from {@code /proc}: where a workload spends its CPU says what limits it.
 */
final class Cpu {

  /** Kernel clock ticks per second of the {@code /proc} counters (USER_HZ). */
  private static final long TICKS = ticksPerSecond();

  private Cpu() {}

  /** A reading, in nanoseconds of CPU time. */
  record Reading(long wallNanos, long jvmCpuNanos, long pgCpuNanos) {

    /**
     * Shares of one core used between two readings.
     *
     * @param later the later reading
     * @return {jvm percent of one core, PostgreSQL percent of one core (or -1), wall seconds}
     */
    double[] since(Reading later) {
      double wall = (later.wallNanos - wallNanos) / 1e9;
      double jvm = (later.jvmCpuNanos - jvmCpuNanos) / 1e9;
      double pg =
          pgCpuNanos < 0 || later.pgCpuNanos < 0 ? -1 : (later.pgCpuNanos - pgCpuNanos) / 1e9;
      return new double[] {100 * jvm / wall, pg < 0 ? -1 : 100 * pg / wall, wall};
    }
  }

  /**
   * Reads this JVM's and the server's CPU time now.
   *
   * @param postmasterPid the server's postmaster, or -1 if it is not on this machine
   * @return the reading
   */
  static Reading read(long postmasterPid) {
    return new Reading(System.nanoTime(), jvmCpuNanos(), pgCpuNanos(postmasterPid));
  }

  static long jvmCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Postmaster (self + reaped children) plus every live child, or -1 if unreadable. */
  static long pgCpuNanos(long postmasterPid) {
    if (postmasterPid <= 0) {
      return -1;
    }
    long[] master = stat(postmasterPid);
    if (master == null) {
      return -1;
    }
    long ticks = master[1] + master[2] + master[3] + master[4];
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        long[] s = stat(Long.parseLong(p.getFileName().toString()));
        if (s != null && s[0] == postmasterPid) {
          ticks += s[1] + s[2];
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 1_000_000_000L / TICKS;
  }

  /**
   * CPU time of one process (itself and the children it reaped), e.g. a broker's.
   *
   * @param pid the process, or -1
   * @return nanoseconds, or -1 if unreadable
   */
  static long processCpuNanos(long pid) {
    long[] s = pid > 0 ? stat(pid) : null;
    return s == null ? -1 : (s[1] + s[2] + s[3] + s[4]) * 1_000_000_000L / TICKS;
  }

  /**
   * The oldest process of this name ({@code /proc/PID/comm}, e.g. {@code beam.smp}), or -1.
   *
   * @param comm the command name
   * @return its pid, or -1 if none runs
   */
  static long pidNamed(String comm) {
    long found = -1;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        long pid = Long.parseLong(p.getFileName().toString());
        try {
          if (Files.readString(p.resolve("comm")).trim().equals(comm)
              && (found < 0 || pid < found)) {
            found = pid;
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return found;
  }

  static long parentOf(long pid) {
    long[] s = stat(pid);
    return s == null ? -1 : s[0];
  }

  static boolean isPostgres(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim().startsWith("postgres");
    } catch (IOException e) {
      return false;
    }
  }

  static long ticksToNanos(long ticks) {
    return ticks * 1_000_000_000L / TICKS;
  }

  /** {ppid, utime, stime, cutime, cstime} in ticks, or null. */
  private static long[] stat(long pid) {
    String s;
    try {
      s = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
    return new long[] {
      Long.parseLong(f[1]),
      Long.parseLong(f[11]),
      Long.parseLong(f[12]),
      Long.parseLong(f[13]),
      Long.parseLong(f[14])
    };
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read CLK_TCK with getconf", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
