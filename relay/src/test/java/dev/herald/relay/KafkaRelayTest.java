package dev.herald.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.BreakerOptions;
import dev.herald.Delivery;
import dev.herald.PayloadCodec;
import dev.herald.PermanentFailureException;
import dev.herald.Receiver;
import dev.herald.relay.RelayFixture.Payment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@link KafkaRelay} on Kafka's {@link MockProducer}: what a record carries and how each producer
 * outcome ends the attempt. (Against a real broker: {@code KafkaRelayIT}.)
 */
class KafkaRelayTest {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private KafkaRelay relay;

  @AfterEach
  void close() {
    if (relay != null) {
      relay.close();
    }
  }

  private static Delivery<Payment> delivery(String key) {
    return new Delivery<>(
        RelayFixture.SIGNAL,
        "to-kafka",
        42,
        1,
        Instant.parse("2026-11-30T18:00:00Z"),
        Map.of("traceparent", TRACEPARENT),
        new Payment("order-1", 3),
        key);
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aBinaryCloudEventKeyedByTheOrderingKeySucceedsOnlyOnceAcknowledged() {
    relay = KafkaRelay.create(producer, RelayOptions.builder().source("/shop").build());
    Receiver<Payment> receiver = relay.to("orders.payment-completed");

    StepVerifier.create(receiver.receive(delivery("order-1")))
        .then(() -> await().until(() -> producer.history().size() == 1))
        .expectNoEvent(Duration.ofMillis(100))
        .then(producer::completeNext)
        .verifyComplete();

    ProducerRecord<String, byte[]> r = producer.history().get(0);
    assertThat(r.topic()).isEqualTo("orders.payment-completed");
    assertThat(r.key()).isEqualTo("order-1");
    assertThat(new String(r.value(), StandardCharsets.UTF_8))
        .isEqualTo("{\"order\":\"order-1\",\"n\":3}");
    assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(r, "ce_id")).isEqualTo("42");
    assertThat(header(r, "ce_type")).isEqualTo(RelayFixture.SIGNAL);
    assertThat(header(r, "ce_source")).isEqualTo("/shop");
    assertThat(header(r, "ce_time")).isEqualTo("2026-11-30T18:00:00Z");
    assertThat(header(r, "ce_traceparent")).isEqualTo(TRACEPARENT);
    assertThat(header(r, "ce_partitionkey")).isEqualTo("order-1");
    assertThat(header(r, "content-type")).isEqualTo("application/json");
  }

  @Test
  void rawModeCarriesTheTaskIdAsMessageId() {
    relay = KafkaRelay.create(producer, RelayOptions.builder().format(RelayFormat.RAW).build());
    StepVerifier.create(relay.<Payment>to("t").receive(delivery(null)))
        .then(() -> await().until(() -> producer.history().size() == 1))
        .then(producer::completeNext)
        .verifyComplete();
    ProducerRecord<String, byte[]> r = producer.history().get(0);
    assertThat(r.key()).isNull();
    assertThat(header(r, "message-id")).isEqualTo("42");
    assertThat(header(r, "traceparent")).isEqualTo(TRACEPARENT);
    assertThat(r.headers().lastHeader("ce_id")).isNull();
  }

  @Test
  void aRecordTooLargeIsPermanent() {
    relay = KafkaRelay.create(producer);
    StepVerifier.create(relay.<Payment>to("t").receive(delivery("k")))
        .then(() -> await().until(() -> producer.history().size() == 1))
        .then(() -> producer.errorNext(new RecordTooLargeException("1 MB max")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageContaining("task 42")
                    .hasMessageContaining("1 MB max"))
        .verify();
  }

  @Test
  void aPayloadTheCodecCannotEncodeIsPermanentAndNothingIsSent() {
    PayloadCodec refusing =
        new PayloadCodec() {
          @Override
          public String encode(Object payload) {
            throw new IllegalArgumentException("no serializer for " + payload.getClass());
          }

          @Override
          public <T> T decode(String json, Class<T> type) {
            throw new UnsupportedOperationException("a relay never decodes");
          }
        };
    relay = KafkaRelay.create(producer, RelayOptions.builder().codec(refusing).build());
    StepVerifier.create(relay.<Payment>to("t").receive(delivery("k")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageContaining("task 42")
                    .hasMessageContaining("payload not encodable")
                    .hasRootCauseMessage("no serializer for " + Payment.class))
        .verify(Duration.ofSeconds(5));
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void anUnreachableClusterCountsForTheBreaker() {
    relay = KafkaRelay.create(producer);
    StepVerifier.create(relay.<Payment>to("t").receive(delivery("k")))
        .then(() -> await().until(() -> producer.history().size() == 1))
        .then(
            () ->
                producer.errorNext(
                    new org.apache.kafka.common.errors.TimeoutException("no metadata")))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(RelayException.class).hasRootCauseMessage("no metadata");
              assertThat(e.getCause()).isInstanceOf(IOException.class);
              assertThat(BreakerOptions.defaults().counts(e)).isTrue();
            })
        .verify();
  }

  @Test
  void noAcknowledgementInTimeFailsTheAttemptAndCountsForTheBreaker() {
    relay =
        KafkaRelay.create(
            producer, RelayOptions.builder().confirmTimeout(Duration.ofMillis(200)).build());
    StepVerifier.create(relay.<Payment>to("t").receive(delivery("k")))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(RelayException.class).hasMessageContaining("PT0.2S");
              assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
              assertThat(BreakerOptions.defaults().counts(e)).isTrue();
            })
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void producerConfigAsksForIdempotenceAllAcksAndBoundedBlocking() {
    Map<String, Object> config = KafkaRelay.producerConfig("localhost:9092");
    assertThat(config)
        .containsEntry("enable.idempotence", true)
        .containsEntry("acks", "all")
        .containsEntry("max.block.ms", 5_000);
  }
}
