package dev.herald.spring.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.spring.TestDatabaseProperties;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Runs the README's Spring Boot quickstart ({@link PaymentsApplication} and {@code
 * readme/application.properties}) against the test database: Herald's schema installed and started
 * by the starter, a payment completed in a {@code @Transactional} method, its receipt written by
 * the receiver, and the context closed.
 */
class PaymentsApplicationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void quickstartApplicationInstallsStartsDeliversAndCloses() {
    String[] database = TestDatabaseProperties.withFreshTable();
    String[] args = new String[database.length + 1];
    System.arraycopy(database, 0, args, 0, database.length);
    args[database.length] = "spring.config.location=classpath:readme/application.properties";
    for (int i = 0; i < args.length; i++) {
      args[i] = "--" + args[i];
    }
    long paymentId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(PaymentsApplication.class)
            .web(WebApplicationType.NONE)
            .run(args)) {
      DatabaseClient db = app.getBean(DatabaseClient.class);
      db.sql("CREATE TABLE IF NOT EXISTS payment (id bigint PRIMARY KEY, status text NOT NULL)")
          .then()
          .then(
              db.sql(
                      "CREATE TABLE IF NOT EXISTS receipt"
                          + " (task_id bigint NOT NULL, payment_id bigint PRIMARY KEY)")
                  .then())
          .then(
              db.sql("INSERT INTO payment (id, status) VALUES ($1, 'pending')")
                  .bind(0, paymentId)
                  .then())
          .block(TIMEOUT);

      app.getBean(PaymentsApplication.PaymentService.class).complete(paymentId).block(TIMEOUT);

      Long receipts =
          Mono.defer(
                  () ->
                      db.sql("SELECT count(*) AS n FROM receipt WHERE payment_id = $1")
                          .bind(0, paymentId)
                          .map(row -> row.get("n", Long.class))
                          .one())
              .filter(n -> n > 0)
              .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(50)).take(400))
              .block(TIMEOUT);
      assertThat(receipts).isEqualTo(1L);
    }
  }
}
