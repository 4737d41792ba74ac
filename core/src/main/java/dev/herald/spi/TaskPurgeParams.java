package dev.herald.spi;

import java.util.Objects;

/**
 * Parameters of {@link TaskStore#taskPurge}.
 *
 * @param filter the dead tasks to delete
 */
public record TaskPurgeParams(DeadTaskFilter filter) {
  /** Validates. */
  public TaskPurgeParams {
    Objects.requireNonNull(filter, "filter");
  }
}
