package dev.herald.spi;

import java.util.Objects;

/**
 * Wake the dispatchers listening on a channel.
 *
 * @param channel the channel, at most 63 bytes
 */
public record TaskNotifyParams(String channel) {
  /** Validates. */
  public TaskNotifyParams {
    Objects.requireNonNull(channel, "channel");
  }
}
