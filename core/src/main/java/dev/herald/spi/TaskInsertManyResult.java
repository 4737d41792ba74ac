package dev.herald.spi;

import java.util.List;

/**
 * What one {@link SenderTransaction#taskInsertMany} wrote.
 *
 * @param written how many tasks were written
 * @param rows one row per receiver (its task id, or none when deduplicated) when the params asked
 *     for ids or carried a dedupe key; empty otherwise, so that a send that needs no ids reads no
 *     rows back
 */
public record TaskInsertManyResult(long written, List<TaskInsertManyRow> rows) {
  /** Copies. */
  public TaskInsertManyResult {
    rows = List.copyOf(rows);
  }
}
