package dev.herald.spi;

import java.util.Objects;

/**
 * A page of tasks in one state.
 *
 * @param state {@code ready}, {@code dead} or {@code done} (kept completed tasks)
 * @param signal only this signal, or null for all
 * @param receiver only this receiver, or null for all
 * @param afterId only ids greater than this (keyset paging; 0 for the first page)
 * @param limit page size, at least 1
 */
public record TaskListParams(
    String state, String signal, String receiver, long afterId, int limit) {
  /** Validates. */
  public TaskListParams {
    Objects.requireNonNull(state, "state");
    if (!state.equals("ready") && !state.equals("dead") && !state.equals("done")) {
      throw new IllegalArgumentException(
          "state must be 'ready', 'dead' or 'done', but was " + state);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
    }
  }
}
