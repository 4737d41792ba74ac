package dev.herald;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Jackson codec. Readers and writers are built per payload type in {@link #prepare}, which
 * makes Jackson resolve the (de)serializers eagerly, off the event loops.
 */
final class JsonPayloadCodec implements PayloadCodec {

  private final JsonMapper mapper;
  private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
  private final Map<Class<?>, ObjectWriter> writers = new ConcurrentHashMap<>();

  JsonPayloadCodec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public void prepare(Class<?> type) {
    readers.computeIfAbsent(type, mapper::readerFor);
    writers.computeIfAbsent(type, mapper::writerFor);
  }

  @Override
  public String encode(Object payload) {
    ObjectWriter writer = writers.get(payload.getClass());
    return writer != null ? writer.writeValueAsString(payload) : mapper.writeValueAsString(payload);
  }

  @Override
  public <T> T decode(String json, Class<T> type) {
    ObjectReader reader = readers.get(type);
    return reader != null ? reader.readValue(json) : mapper.readValue(json, type);
  }
}
