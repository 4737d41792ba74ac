package dev.herald.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A PostgreSQL statement with {@code $n} parameters. Each bind carries its Java type so that a null
 * can be bound with the right SQL type; arrays are boxed ({@code Long[]}, {@code Integer[]}, {@code
 * String[]}).
 *
 * @param sql the statement text
 * @param binds the parameters, {@code binds[0]} is {@code $1}
 */
public record SqlStatement(String sql, Bind... binds) {

  /** Validates. */
  public SqlStatement {
    Objects.requireNonNull(sql, "sql");
    binds = binds.clone();
  }

  /**
   * One parameter.
   *
   * @param value the value, or null
   * @param type its Java type
   */
  public record Bind(Object value, Class<?> type) {
    /** Validates. */
    public Bind {
      Objects.requireNonNull(type, "type");
      if (value != null && !type.isInstance(value)) {
        throw new IllegalArgumentException(value.getClass() + " is not a " + type);
      }
    }
  }

  static Bind bind(Object value, Class<?> type) {
    return new Bind(value, type);
  }

  @Override
  public String toString() {
    return "SqlStatement["
        + sql.strip().replaceAll("\\s+", " ")
        + ", "
        + Arrays.toString(binds)
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlStatement s && sql.equals(s.sql) && Arrays.equals(binds, s.binds);
  }

  @Override
  public int hashCode() {
    return 31 * sql.hashCode() + Arrays.hashCode(binds);
  }
}
