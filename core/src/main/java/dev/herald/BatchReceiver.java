package dev.herald;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Code that takes many deliveries of one signal at once (a bulk insert into a search index, one
 * HTTP call for many events), connected with {@link Signal#connectBatch}. Each call gets up to the
 * batch size of deliveries that were ready together, and reports an outcome per task: those its
 * {@link BatchResult} names as failed are retried (or dead-lettered) one by one by the receiver's
 * {@link RetryPolicy}, as if each had failed alone; the others succeeded. An error, a timeout or an
 * exception thrown from {@code receive} itself fails every task of the call ({@link
 * PermanentFailureException}: dead-lettered at once). Delivery is at least once, per task:
 * receivers should be idempotent, keyed by {@link Delivery#taskId()}.
 *
 * <p>Runs on Herald's or the driver's non-blocking threads: never block in it.
 *
 * @param <T> the signal's payload type
 */
@FunctionalInterface
public interface BatchReceiver<T> {

  /**
   * Handles one batch.
   *
   * @param deliveries one to the batch size of deliveries, oldest claim first
   * @return the outcome per task; completing empty means every task succeeded
   */
  Mono<BatchResult> receive(List<Delivery<T>> deliveries);
}
