package dev.herald.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Herald WebFlux demo: orders, payments, and a {@code payment.completed} signal whose receivers
 * complete the order and send a receipt if and only if the payment's transaction commits.
 *
 * <p>Runs on an embedded PostgreSQL unless {@code HERALD_DATABASE_URL} names a server, plays a
 * short scenario on start and prints its account, then serves the HTTP API.
 */
@SpringBootApplication
public class OrdersApplication {

  /**
   * Starts the demo.
   *
   * @param args Spring Boot arguments, such as {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}
