package dev.herald.spi;

import java.util.Objects;

/**
 * Parameters of {@link TaskStore#taskCompleteMany}.
 *
 * @param tokens the claims of the delivered tasks
 * @param keep whether to keep a copy of each completed task (retention), listed with state {@code
 *     done} until {@link TaskStore#taskExpire} removes it
 */
public record TaskCompleteManyParams(TaskTokens tokens, boolean keep) {
  /** Validates. */
  public TaskCompleteManyParams {
    Objects.requireNonNull(tokens, "tokens");
  }

  /** Completes without keeping a copy. */
  public TaskCompleteManyParams(TaskTokens tokens) {
    this(tokens, false);
  }
}
