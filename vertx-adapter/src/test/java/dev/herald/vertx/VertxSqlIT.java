package dev.herald.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.Herald;
import dev.herald.Signal;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Schema installation, binding and hostile input through the Vert.x client, with Vert.x's default
 * client options (no prepared statement cache: every statement is parsed and its parameter types
 * inferred anew).
 */
class VertxSqlIT {

  private final VertxFixture fixture = new VertxFixture(VertxFixture.UNCACHED);

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A payload whose JSON must survive byte for byte. */
  record Precise(BigDecimal amount, String text) {}

  @Test
  void payloadAndHeadersAreStoredAsTheJsonTheCodecWroteNotAsJsonStrings() {
    Herald sender = fixture.herald();
    Signal<Precise> signal = sender.signal("precise", Precise.class);
    signal.connect("r", d -> Mono.never());
    Precise payload = new Precise(new BigDecimal("12345678901234567890.123456789"), "é \"q\" ✓");

    fixture
        .inTransaction(signal.sendReliable(payload, Map.of("traceparent", "00-abc-01")))
        .block(Duration.ofSeconds(10));

    assertThat(
            fixture
                .query(
                    "SELECT jsonb_typeof(payload) || '|' || (payload->'amount')::text || '|'"
                        + " || (payload->>'text') || '|' || (headers->>'traceparent') FROM "
                        + fixture.table,
                    String.class)
                .blockFirst())
        .isEqualTo("object|12345678901234567890.123456789|é \"q\" ✓|00-abc-01");

    List<Precise> received = new CopyOnWriteArrayList<>();
    Herald receiver = fixture.herald();
    receiver
        .signal("precise", Precise.class)
        .connect("r", d -> Mono.fromRunnable(() -> received.add(d.payload())));
    receiver.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertThat(received.get(0)).isEqualTo(payload);
  }
}
