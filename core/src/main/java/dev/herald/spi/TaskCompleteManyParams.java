package dev.herald.spi;

import java.util.Objects;

/**
 * Parameters of {@link TaskStore#taskCompleteMany}.
 *
 * @param tokens the claims of the delivered tasks
 */
public record TaskCompleteManyParams(TaskTokens tokens) {
  /** Validates. */
  public TaskCompleteManyParams {
    Objects.requireNonNull(tokens, "tokens");
  }
}
