package dev.herald.examples.orders;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.herald.Signal;
import dev.herald.examples.domain.PaymentCompleted;
import dev.herald.relay.RabbitRelay;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code orders.relay.rabbitmq.enabled=true}: {@code payment.completed} is also relayed to
 * RabbitMQ's exchange {@code orders} with routing key {@code payment.completed}, as a CloudEvent,
 * once per committed payment (at least once; the AMQP message-id is the task id). Declare the
 * exchange and bind a queue first: an unroutable message is dead-lettered, not dropped.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orders.relay.rabbitmq.enabled", havingValue = "true")
class RabbitRelayConfiguration {

  /**
   * The connection, with automatic recovery (the client's default).
   *
   * @param uri the broker, {@code orders.relay.rabbitmq.uri} (default the local guest account)
   * @return the connection, closed with the context
   * @throws Exception if the URI is invalid or the broker cannot be reached
   */
  @Bean(destroyMethod = "close")
  Connection rabbitConnection(
      @Value("${orders.relay.rabbitmq.uri:amqp://guest:guest@127.0.0.1:5672}") String uri)
      throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    return factory.newConnection("herald-example-webflux-orders");
  }

  /**
   * The relay, connected to the signal as one more receiver before Herald starts.
   *
   * @param connection the connection
   * @param paymentCompleted the signal
   * @return the relay, closed with the context
   */
  @Bean(destroyMethod = "close")
  RabbitRelay rabbitRelay(Connection connection, Signal<PaymentCompleted> paymentCompleted) {
    RabbitRelay relay = RabbitRelay.create(connection);
    paymentCompleted.connect("to-rabbitmq", relay.to("orders", PaymentCompleted.SIGNAL));
    return relay;
  }
}
