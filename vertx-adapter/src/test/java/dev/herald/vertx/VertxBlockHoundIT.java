package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;

/**
 * The non-blocking promise covers Vert.x threads too: BlockHound, installed in this JVM by its
 * JUnit listener, checks Vert.x event loops (Netty's integration) and leaves worker threads alone.
 */
class VertxBlockHoundIT {

  @Test
  void sleepingOnAVertxEventLoopIsReportedAsBlocking() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    CompletableFuture<String> thread = new CompletableFuture<>();
    VertxFixture.vertx()
        .runOnContext(
            v -> {
              thread.complete(Thread.currentThread().getName());
              try {
                Thread.sleep(1);
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });

    Throwable error = outcome.get(5, TimeUnit.SECONDS);

    assertThat(thread.get()).startsWith("vert.x-eventloop-thread-");
    assertThat(error)
        .isInstanceOf(BlockingOperationError.class)
        .hasMessageContaining("java.lang.Thread.sleep");
  }

  @Test
  void blockingOnAVertxWorkerThreadIsAllowed() {
    Integer result =
        Mono.fromCompletionStage(
                () ->
                    VertxFixture.vertx()
                        .executeBlocking(
                            () -> {
                              Thread.sleep(1);
                              return 42;
                            })
                        .toCompletionStage())
            .block(Duration.ofSeconds(5));

    assertThat(result).isEqualTo(42);
  }
}
