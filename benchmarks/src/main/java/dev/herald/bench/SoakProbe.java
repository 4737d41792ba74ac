package dev.herald.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * What the soak samples besides its own counters: the backlog and leased rows (one query), the task
 * table's statistics ({@code pg_stat_user_tables}, summed over its partitions: dead and live
 * tuples, autovacuum runs), heap after GC and CPU since the previous read. Its own connection, used
 * by one thread at a time.
 */
final class SoakProbe {
  private final Connection c;
  private final String backlogSql;
  private final String tableSql;
  private final HeapWatch heap;
  private final long pgPid;
  private int gcsSeen;
  private Cpu.Reading cpuSeen;

  SoakProbe(Connection c, String backlogSql, String table, HeapWatch heap, long pgPid) {
    this.c = c;
    this.backlogSql = backlogSql;
    // The task table's partitions (Herald's generations), summed; a plain table is its own tree.
    this.tableSql =
        "SELECT coalesce(sum(n_dead_tup), 0), coalesce(sum(n_live_tup), 0),"
            + " coalesce(sum(autovacuum_count), 0) FROM pg_stat_user_tables"
            + " WHERE relid IN (SELECT relid FROM pg_partition_tree('"
            + table
            + "'))";
    this.heap = heap;
    this.pgPid = pgPid;
    this.cpuSeen = Cpu.read(pgPid);
  }

  /** {ready not started, leased}, or -1s if the read failed. */
  long[] backlog() {
    return longs(backlogSql, 2);
  }

  /** {dead tuples, live tuples, autovacuum runs} of the task table. */
  long[] table() {
    return longs(tableSql, 3);
  }

  /** {GCs, last heap-after-GC MB, max} since the previous call. */
  double[] heap() {
    double[] h = heap.afterGcSince(gcsSeen);
    gcsSeen += (int) h[0];
    return h;
  }

  /** {JVM, PostgreSQL (or -1)} CPU as % of one core since the previous call. */
  double[] cpu() {
    Cpu.Reading now = Cpu.read(pgPid);
    double[] since = cpuSeen.since(now);
    cpuSeen = now;
    return since;
  }

  private long[] longs(String sql, int n) {
    long[] out = new long[n];
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      for (int i = 0; i < n; i++) {
        out[i] = rs.getLong(i + 1);
      }
    } catch (SQLException e) {
      Arrays.fill(out, -1);
    }
    return out;
  }
}
