package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Proves BlockHound is installed in this test JVM, so every other test runs under it. */
class BlockHoundActiveTest {

  @Test
  void sleepingOnAReactorParallelThreadIsReported() {
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
    assertThat(error).isNotNull();
    Throwable cause = error instanceof BlockingOperationError ? error : error.getCause();
    assertThat(cause).isInstanceOf(BlockingOperationError.class);
  }
}
