package dev.herald.spi;

/** One result row, read by column index (0-based) as a given Java type. */
@FunctionalInterface
public interface SqlRow {

  /**
   * Reads a column.
   *
   * @param index 0-based column index
   * @param type {@code Long}, {@code Integer}, {@code String} or {@code java.time.OffsetDateTime}
   * @param <T> the type
   * @return the value, or null for SQL NULL
   */
  <T> T get(int index, Class<T> type);
}
