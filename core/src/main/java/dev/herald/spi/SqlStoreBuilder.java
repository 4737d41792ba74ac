package dev.herald.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The options every SQL store's builder has, whatever its driver; an adapter's builder extends it
 * and adds its own (connections, pools).
 *
 * @param <B> the adapter's builder
 */
public abstract class SqlStoreBuilder<B extends SqlStoreBuilder<B>> {

  /** The listener heartbeat's default: 30 seconds. */
  public static final Duration DEFAULT_LISTENER_HEARTBEAT = Duration.ofSeconds(30);

  private TableName table = TableName.parse(TableName.DEFAULT);
  private boolean listen = true;
  private Duration heartbeat = DEFAULT_LISTENER_HEARTBEAT;

  /** For adapters' builders. */
  protected SqlStoreBuilder() {}

  /**
   * The task table: a plain identifier, optionally schema-qualified. Defaults to {@code
   * herald_task}.
   *
   * @param tableName for example {@code herald_task} or {@code app.herald_task}
   * @return this builder
   * @throws IllegalArgumentException if it is not a plain identifier
   */
  public B tableName(String tableName) {
    this.table = TableName.parse(tableName);
    return self();
  }

  /**
   * Whether to listen for {@code NOTIFY} from other processes. Defaults to true; without it
   * dispatchers rely on in-process wakeups after commit and on polling, and no listener connection
   * is opened.
   *
   * @param listen false to disable the listener
   * @return this builder
   */
  public B listen(boolean listen) {
    this.listen = listen;
    return self();
  }

  /**
   * Interval of the listener's {@code SELECT 1}. A connection that gets no answer within one
   * interval (half-open: its server hangs or died without a TCP reset) is abandoned and a new
   * listener connection takes over, with a catch-up wakeup. Defaults to {@link
   * #DEFAULT_LISTENER_HEARTBEAT} (30 s).
   *
   * @param heartbeat positive
   * @return this builder
   */
  public B listenerHeartbeat(Duration heartbeat) {
    Objects.requireNonNull(heartbeat, "listenerHeartbeat");
    if (heartbeat.isZero() || heartbeat.isNegative()) {
      throw new IllegalArgumentException(
          "listenerHeartbeat must be positive, but was " + heartbeat);
    }
    this.heartbeat = heartbeat;
    return self();
  }

  /**
   * The options set so far.
   *
   * @return the shared options
   */
  protected final SqlStoreOptions storeOptions() {
    return new SqlStoreOptions(table, listen, heartbeat);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
