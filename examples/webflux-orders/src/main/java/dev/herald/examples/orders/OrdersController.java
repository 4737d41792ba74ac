package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.TaskInfo;
import dev.herald.examples.domain.ApiInput;
import dev.herald.examples.domain.FraudCheck;
import dev.herald.examples.domain.InvalidInputException;
import dev.herald.examples.domain.Order;
import dev.herald.examples.domain.Payment;
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

/**
 * The demo's HTTP API: orders, payments and Herald's dead letters. Input is checked by the shared
 * {@link ApiInput} rules; what they reject is answered with 400 and {@code {"error": message}}.
 */
@RestController
class OrdersController {

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
  OrdersController(PaymentService payments, OrderRepository orders, Herald herald) {
    this.payments = payments;
    this.orders = orders;
    this.herald = herald;
  }

  /**
   * Creates an order and its pending payment.
   *
   * @param body {@code {"amountCents": n}}, decoded as plain JSON values (not bound to a type:
   *     binding would truncate 19.99 to 19) so that {@link ApiInput#amountCents} sees what was sent
   * @return the order
   */
  @PostMapping("/orders")
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<Order> create(@RequestBody(required = false) Object body) {
    return payments.createOrder(ApiInput.amountCents(body));
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
   * @param succeeded {@code true} (the default) or {@code false}
   * @return the payment; 400 if succeeded is neither, 404 if unknown, 409 if not pending, 422 if
   *     the fraud check rejected it
   */
  @PostMapping("/payments/{id}/complete")
  public Mono<Payment> complete(
      @PathVariable long id, @RequestParam(required = false) String succeeded) {
    return payments.complete(id, ApiInput.succeeded(succeeded));
  }

  /**
   * The oldest dead tasks.
   *
   * @param limit at most this many, from 1 to 1000 (100 if absent)
   * @return the tasks
   */
  @GetMapping("/dead-letters")
  public Flux<TaskInfo> deadLetters(@RequestParam(required = false) String limit) {
    return herald.deadLetters().list(ApiInput.limit(limit));
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
   * Input the shared rules rejected.
   *
   * @param e the rejection
   * @return a 400 with the message
   */
  @ExceptionHandler(InvalidInputException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  public Map<String, String> invalidInput(InvalidInputException e) {
    return Map.of("error", e.getMessage());
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
