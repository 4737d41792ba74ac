package dev.herald;

import tools.jackson.databind.json.JsonMapper;

/**
 * Turns payloads into the JSON text stored with each task, and back. Herald stores payloads as
 * {@code jsonb}, so a codec must produce valid JSON.
 *
 * <p>Encoding happens when a signal is sent: a failure fails that {@code sendReliable} and writes
 * nothing. Decoding happens when a task is claimed: a failure dead-letters the task with the reason
 * (retrying cannot fix bytes). Implementations must be thread-safe.
 */
public interface PayloadCodec {

  /**
   * Encodes a payload.
   *
   * @param payload the payload, never null
   * @return JSON text
   * @throws RuntimeException if the payload cannot be encoded
   */
  String encode(Object payload);

  /**
   * Decodes a payload.
   *
   * @param json the stored JSON text
   * @param type the signal's payload type
   * @param <T> the payload type
   * @return the payload
   * @throws RuntimeException if the text does not decode to {@code type}
   */
  <T> T decode(String json, Class<T> type);

  /**
   * The default codec: Jackson 3 with its defaults (unknown properties fail, so a payload written
   * by an incompatible version is dead-lettered instead of silently half-read).
   *
   * @return a JSON codec
   */
  static PayloadCodec json() {
    return json(JsonMapper.builder().build());
  }

  /**
   * A codec on the given Jackson mapper.
   *
   * @param mapper a configured mapper
   * @return a JSON codec
   */
  static PayloadCodec json(JsonMapper mapper) {
    return new JsonPayloadCodec(mapper);
  }

  /**
   * Prepares the codec for a payload type before any payload of it is encoded or decoded. Herald
   * calls it when a signal is declared and when a receiver is connected, on the caller's thread, so
   * that one-time setup (building serializers, which may take locks) never happens on an event
   * loop. The default does nothing.
   *
   * @param type a payload type
   */
  default void prepare(Class<?> type) {}
}
