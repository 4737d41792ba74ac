package dev.herald.vertx;

import dev.herald.spi.SqlRow;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Reads a Vert.x {@link Row} for the SPI's mappers; one instance is moved along a row set. */
final class VertxRow implements SqlRow {

  private Row row;

  VertxRow at(Row row) {
    this.row = row;
    return this;
  }

  @Override
  public <T> T get(int index, Class<T> type) {
    // Typed getters convert between numeric widths; Row#get(Class, int) would return null for an
    // int4 read as Long, which must not pass for SQL NULL.
    Object value;
    if (type == Long.class) {
      value = row.getLong(index);
    } else if (type == Integer.class) {
      value = row.getInteger(index);
    } else if (type == String.class) {
      value = row.getString(index);
    } else if (type == OffsetDateTime.class) {
      value = row.getOffsetDateTime(index);
    } else {
      value = row.getValue(index);
    }
    return type.cast(value);
  }
}
