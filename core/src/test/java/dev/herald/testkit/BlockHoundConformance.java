package dev.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Promise 5 holds only if BlockHound watches the JVM that runs the kit: prove that it does. */
public interface BlockHoundConformance extends Kit {

  @Test
  default void blockHoundReportsBlockingOnNonBlockingThreadsInThisJvm() {
    Throwable error =
        catchThrowable(
            () ->
                Mono.fromCallable(
                        () -> {
                          Thread.sleep(1);
                          return 1;
                        })
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(5)));
    Throwable cause = error instanceof BlockingOperationError ? error : error.getCause();
    assertThat(cause).isInstanceOf(BlockingOperationError.class);
  }
}
