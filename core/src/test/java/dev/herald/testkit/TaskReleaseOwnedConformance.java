package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spi.TaskReleaseOwnedParams;
import org.junit.jupiter.api.Test;

/** {@code taskReleaseOwned}: releases every lease of one node, and no other node's. */
public interface TaskReleaseOwnedConformance extends OperationKit {

  @Test
  default void releasesEveryTaskOfOneOwnerAndNoneOfAnother() {
    insert("r", 4);
    assertThat(claim("node-a", "r", 3)).hasSize(3);
    assertThat(claim("node-b", "r", 1)).hasSize(1);

    assertThat(ops().taskReleaseOwned(new TaskReleaseOwnedParams("node-a")).block()).isEqualTo(3);

    assertThat(fixture().leasedBy("node-a").block()).isZero();
    assertThat(fixture().leasedBy("node-b").block()).isEqualTo(1);
    assertThat(claim("node-c", "r", 10)).hasSize(3);
  }
}
