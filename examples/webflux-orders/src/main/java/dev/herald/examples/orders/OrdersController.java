package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.TaskInfo;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The demo's HTTP API: orders, payments and Herald's dead letters. */
@RestController
public class OrdersController {

  private final PaymentService payments;
  private final OrderRepository orders;
  private final Herald herald;

  /**
   * Creates the controller.
   *
   * @param payments the payment service
   * @param orders the repository
   * @param herald the Herald instance, for its dead letters
   */
  public OrdersController(PaymentService payments, OrderRepository orders, Herald herald) {
    this.payments = payments;
    this.orders = orders;
    this.herald = herald;
  }

  /**
   * The body of {@code POST /orders}.
   *
   * @param amountCents the amount, in cents
   */
  public record NewOrder(long amountCents) {}

  /**
   * Creates an order and its pending payment.
   *
   * @param body the amount
   * @return the order
   */
  @PostMapping("/orders")
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<Order> create(@RequestBody NewOrder body) {
    return payments.createOrder(body.amountCents());
  }

  /**
   * An order with its payment.
   *
   * @param id the order
   * @return the order, or 404
   */
  @GetMapping("/orders/{id}")
  public Mono<Order> order(@PathVariable long id) {
    return orders
        .findOrder(id)
        .switchIfEmpty(
            Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id)));
  }

  /**
   * Completes a pending payment; when it succeeded, {@code payment.completed} is sent in the same
   * transaction, and the order is completed shortly after by the {@code complete-order} receiver.
   *
   * @param id the payment
   * @param succeeded whether the payment succeeded
   * @return the payment; 404 if unknown, 409 if not pending, 422 if the fraud check rejected it
   */
  @PostMapping("/payments/{id}/complete")
  public Mono<Payment> complete(
      @PathVariable long id, @RequestParam(defaultValue = "true") boolean succeeded) {
    return payments.complete(id, succeeded);
  }

  /**
   * The oldest dead tasks.
   *
   * @param limit at most this many
   * @return the tasks
   */
  @GetMapping("/dead-letters")
  public Flux<TaskInfo> deadLetters(@RequestParam(defaultValue = "100") int limit) {
    return herald.deadLetters().list(limit);
  }

  /**
   * Requeues a dead task: it is delivered again with its attempts reset.
   *
   * @param id the task
   * @return {@code {"requeued": n}}, n being 0 if the task is not dead
   */
  @PostMapping("/dead-letters/{id}/requeue")
  public Mono<Map<String, Long>> requeue(@PathVariable long id) {
    return herald.deadLetters().requeue(id).map(n -> Map.of("requeued", n));
  }

  /**
   * A payment rejected by the fraud check: its transaction rolled back.
   *
   * @param e the rejection
   * @return a 422 with the reason
   */
  @ExceptionHandler(FraudCheck.FraudSuspectedException.class)
  @ResponseStatus(HttpStatus.UNPROCESSABLE_CONTENT)
  public Map<String, String> fraudSuspected(FraudCheck.FraudSuspectedException e) {
    return Map.of(
        "error", "rejected by the fraud check; payment rolled back", "reason", e.getMessage());
  }
}
