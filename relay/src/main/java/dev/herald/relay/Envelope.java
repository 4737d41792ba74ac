package dev.herald.relay;

import dev.herald.Delivery;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * One delivery as a broker message: its id, CloudEvents attributes and body. Built on the relay's
 * own thread, so that the codec's first use of a type (which builds serializers under locks) never
 * runs on an event loop.
 */
final class Envelope {

  static final String SPEC_VERSION = "1.0";
  static final String JSON = "application/json";
  static final String STRUCTURED = "application/cloudevents+json; charset=utf-8";
  static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate");

  // Jackson 3, as Herald's own codec: the CloudEvents SDK's JSON format is on Jackson 2, and the
  // structured form is a handful of string fields around the payload's JSON, written raw.
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  final String id;
  final long taskId;
  final String type;
  final String source;
  final Instant at;
  final String time;
  final String orderingKey;
  final Map<String, String> headers;
  final String data;

  private Envelope(Delivery<?> d, RelayOptions options) {
    this.taskId = d.taskId();
    this.id = Long.toString(d.taskId());
    this.type = d.signal();
    this.source = options.source();
    this.at = d.enqueuedAt();
    this.time = DateTimeFormatter.ISO_INSTANT.format(at);
    this.orderingKey = d.orderingKey();
    this.headers = d.headers();
    this.data = options.codec().encode(d.payload());
  }

  static Envelope of(Delivery<?> delivery, RelayOptions options) {
    return new Envelope(delivery, options);
  }

  /** The trace context of the task's headers, those present. */
  Map<String, String> trace() {
    Map<String, String> trace = new LinkedHashMap<>();
    for (String name : TRACE_HEADERS) {
      String value = headers.get(name);
      if (value != null) {
        trace.put(name, value);
      }
    }
    return trace;
  }

  /**
   * The CloudEvents attributes and extensions, in order, for a binary-mode binding; visited rather
   * than collected, since every message is built once and written once.
   */
  void attributes(BiConsumer<String, String> into) {
    into.accept("specversion", SPEC_VERSION);
    into.accept("id", id);
    into.accept("source", source);
    into.accept("type", type);
    into.accept("time", time);
    into.accept("datacontenttype", JSON);
    for (String name : TRACE_HEADERS) {
      String value = headers.get(name);
      if (value != null) {
        into.accept(name, value);
      }
    }
    if (orderingKey != null) {
      into.accept("partitionkey", orderingKey);
    }
  }

  byte[] payload() {
    return data.getBytes(StandardCharsets.UTF_8);
  }

  /** The structured-mode event: the attributes as JSON strings and the payload's JSON as data. */
  byte[] structured() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length() + 256);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      attributes(g::writeStringProperty);
      g.writeName("data");
      g.writeRawValue(data);
      g.writeEndObject();
    }
    return out.toByteArray();
  }
}
