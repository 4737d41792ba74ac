package dev.herald.spring.readme;

// tag::boot-quickstart[]
import dev.herald.Delivery;
import dev.herald.Herald;
import dev.herald.Signal;
import dev.herald.spring.HeraldReceiver;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

@SpringBootApplication
public class PaymentsApplication {

  public static void main(String[] args) {
    SpringApplication.run(PaymentsApplication.class, args);
  }

  /** The signal, declared once with its payload type. */
  @Bean
  Signal<PaymentCompleted> paymentCompleted(Herald herald) {
    return herald.signal("payment.completed", PaymentCompleted.class);
  }

  record PaymentCompleted(long paymentId) {}

  @Service
  static class PaymentService {

    private final DatabaseClient db;
    private final Signal<PaymentCompleted> paymentCompleted;

    PaymentService(DatabaseClient db, Signal<PaymentCompleted> paymentCompleted) {
      this.db = db;
      this.paymentCompleted = paymentCompleted;
    }

    /** The update and the signal's tasks commit together, or neither does. */
    @Transactional
    public Mono<Void> complete(long paymentId) {
      return db.sql("UPDATE payment SET status = 'succeeded' WHERE id = $1")
          .bind(0, paymentId)
          .then()
          .then(paymentCompleted.sendReliable(new PaymentCompleted(paymentId)));
    }
  }

  @Component
  static class Receipts {

    private final DatabaseClient db;

    Receipts(DatabaseClient db) {
      this.db = db;
    }

    /** Runs once the transaction committed, at least once: the task id makes it idempotent. */
    @HeraldReceiver(signal = "payment.completed", name = "send-receipt")
    public Mono<Void> send(Delivery<PaymentCompleted> delivery) {
      return db.sql(
              "INSERT INTO receipt (task_id, payment_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
          .bind(0, delivery.taskId())
          .bind(1, delivery.payload().paymentId())
          .then();
    }
  }
}
// end::boot-quickstart[]
