package dev.herald.spi;

import java.util.Objects;

/**
 * Parameters of {@link TaskStore#taskRequeue}.
 *
 * @param filter the dead tasks to requeue
 */
public record TaskRequeueParams(DeadTaskFilter filter) {
  /** Validates. */
  public TaskRequeueParams {
    Objects.requireNonNull(filter, "filter");
  }
}
