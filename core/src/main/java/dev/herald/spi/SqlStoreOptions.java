package dev.herald.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * What every SQL store is configured with, whatever its driver: built by {@link SqlStoreBuilder}.
 *
 * @param table the task table
 * @param listen whether to {@code LISTEN} for other processes' notifications
 * @param heartbeat the interval of the listener's liveness query
 */
public record SqlStoreOptions(TableName table, boolean listen, Duration heartbeat) {

  /** Validates. */
  public SqlStoreOptions {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(heartbeat, "heartbeat");
  }
}
