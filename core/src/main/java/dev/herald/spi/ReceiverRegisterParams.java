package dev.herald.spi;

import java.util.List;
import java.util.Objects;

/**
 * Record receivers in the registry, or mark them seen again.
 *
 * @param receivers the receivers a node runs or declares
 * @param node the node's id, recorded as the last to have seen them
 */
public record ReceiverRegisterParams(List<ReceiverKey> receivers, String node) {
  /** Validates and copies. */
  public ReceiverRegisterParams {
    receivers = Params.list("receivers", receivers);
    Objects.requireNonNull(node, "node");
  }
}
