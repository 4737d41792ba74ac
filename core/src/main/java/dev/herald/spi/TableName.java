package dev.herald.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated task table name: a plain lower-case identifier, optionally qualified by a schema
 * ({@code herald_task}, {@code app.herald_task}). Anything else is rejected, since the name is
 * spliced into SQL text and must never carry quoting or statements.
 *
 * @param schema the schema, or null for the search path
 * @param table the table
 */
public record TableName(String schema, String table) {

  /** Default table name. */
  public static final String DEFAULT = "herald_task";

  // Leaves room for the derived index and channel names within PostgreSQL's 63-byte limit.
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");

  /**
   * Validates both parts, so that no way of making a name skips the check.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public TableName {
    Objects.requireNonNull(table, "table");
    if (!IDENTIFIER.matcher(table).matches()
        || (schema != null && !IDENTIFIER.matcher(schema).matches())) {
      throw invalid(schema == null ? table : schema + "." + table);
    }
  }

  /**
   * Parses and validates a table name.
   *
   * @param name {@code table} or {@code schema.table}
   * @return the name
   * @throws IllegalArgumentException naming the offending value
   */
  public static TableName parse(String name) {
    Objects.requireNonNull(name, "tableName");
    String[] parts = name.split("\\.", -1);
    if (parts.length > 2) {
      throw invalid(name);
    }
    return parts.length == 1 ? new TableName(null, parts[0]) : new TableName(parts[0], parts[1]);
  }

  private static IllegalArgumentException invalid(String name) {
    return new IllegalArgumentException(
        "tableName must be a plain identifier or schema.identifier (lower-case letters, digits"
            + " and underscores, starting with a letter or underscore, at most 48 characters"
            + " each), but was '"
            + name
            + "'");
  }

  /**
   * The name as written in SQL.
   *
   * @return {@code schema.table} or {@code table}
   */
  public String qualified() {
    return schema == null ? table : schema + "." + table;
  }

  /**
   * The NOTIFY channel for this table: unique per qualified name, at most 63 bytes.
   *
   * @return the channel
   */
  public String channel() {
    String channel = "herald_" + (schema == null ? "" : schema + "__") + table;
    return channel.length() <= 63
        ? channel
        : channel.substring(0, 54) + "_" + Integer.toHexString(channel.hashCode());
  }

  @Override
  public String toString() {
    return qualified();
  }
}
