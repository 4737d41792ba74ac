package dev.herald.bench;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.NotifyMode;
import dev.herald.SendOptions;
import dev.herald.Signal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enqueue cost: what {@code sendReliable} adds to a business transaction. Every operation is one
 * committed transaction that inserts one order row, and then on the same transaction:
 *
 * <ul>
 *   <li>{@code orderOnly}: nothing (the transaction alone);
 *   <li>{@code orderPlusPlainInsert}: one plain INSERT of the same JSON payload into a hand-written
 *       outbox table, the fair baseline for an outbox;
 *   <li>{@code orderPlusSendToOne}: {@code sendReliable} to a signal with one receiver;
 *   <li>{@code orderPlusSendToThree}: {@code sendReliable} to a signal with three receivers;
 *   <li>{@code orderPlusSendToOneOrdered}: to one receiver with an ordering key (one of 1,000
 *       customers), what ordering costs the sender;
 *   <li>{@code orderPlusSendToOneDeduped}: to one receiver with a dedupe key (the order's own, so
 *       never a duplicate), what the pending-key row costs the sender.
 * </ul>
 *
 * <p>Eight concurrent callers ({@code @Threads(8)}); each blocks its own JMH thread on the result,
 * while the code under measurement stays reactive. The dispatcher is not started (tasks accumulate
 * and are truncated between iterations, with the business tables), so the figure is the sending
 * side only; {@code NOTIFY} runs as configured by default (rate-limited, one per 100 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class EnqueueBenchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final String TABLE = "bench_enqueue_task";

  /** The adapter. */
  @Param({"r2dbc", "vertx"})
  public String driver;

  private BenchDatabase db;
  private HeraldSide side;
  private Signal<OrderPlaced> toOne;
  private Signal<OrderPlaced> toThree;
  private Signal<OrderPlaced> toOneSilent;
  private final AtomicLong seq = new AtomicLong();

  /** Creates the tables, the pool and a Herald instance with two signals. */
  @Setup(Level.Trial)
  public void setUp() {
    db = BenchDatabase.fromProperty();
    db.execute(Tables.business());
    db.execute(Tables.dropHerald(TABLE));
    side = HeraldSide.create(driver, db, TABLE, 16);
    Herald herald = Herald.builder(side.store()).build();
    herald.installSchema().block(Duration.ofSeconds(60));
    toOne = herald.signal("order.placed.one", OrderPlaced.class);
    toOne.connect("r1", d -> Mono.empty());
    toThree = herald.signal("order.placed.three", OrderPlaced.class);
    toThree.connect("r1", d -> Mono.empty());
    toThree.connect("r2", d -> Mono.empty());
    toThree.connect("r3", d -> Mono.empty());
    // A second instance on the same store that never sends NOTIFY: what the rate-limited NOTIFY
    // costs the sender (a diagnostic, not part of the suite's table).
    Herald silent =
        Herald.builder(side.store())
            .options(HeraldOptions.builder().notifyMode(NotifyMode.NONE).build())
            .build();
    toOneSilent = silent.signal("order.placed.silent", OrderPlaced.class);
    toOneSilent.connect("r1", d -> Mono.empty());
  }

  /** Keeps every iteration on small tables. */
  @Setup(Level.Iteration)
  public void truncate() {
    db.execute(
        "TRUNCATE " + Tables.ORDER + ", " + Tables.OUTBOX + ", " + TABLE + ", " + TABLE + "_keys");
  }

  /** Drops the tables and closes the pool. */
  @TearDown(Level.Trial)
  public void tearDown() {
    side.close();
    db.execute(
        Tables.dropHerald(TABLE), "DROP TABLE IF EXISTS " + Tables.ORDER + ", " + Tables.OUTBOX);
  }

  /** The business transaction alone. */
  @Benchmark
  public void orderOnly() {
    side.orderOnly(seq.incrementAndGet()).block();
  }

  /** The business transaction plus a plain INSERT of the same payload (the fair baseline). */
  @Benchmark
  public void orderPlusPlainInsert() {
    long n = seq.incrementAndGet();
    side.orderAndPlainInsert(n, JSON.writeValueAsString(OrderPlaced.of(n))).block();
  }

  /** The business transaction plus {@code sendReliable} to one receiver. */
  @Benchmark
  public void orderPlusSendToOne() {
    long n = seq.incrementAndGet();
    side.orderAndSend(n, toOne, OrderPlaced.of(n)).block();
  }

  /**
   * Diagnostic: {@code sendReliable} to one receiver with {@code NotifyMode.NONE}; compare with
   * {@link #orderPlusSendToOne()} for the cost of the rate-limited {@code NOTIFY}.
   */
  @Benchmark
  public void orderPlusSendToOneWithoutNotify() {
    long n = seq.incrementAndGet();
    side.orderAndSend(n, toOneSilent, OrderPlaced.of(n)).block();
  }

  /** The business transaction plus {@code sendReliable} to one receiver with an ordering key. */
  @Benchmark
  public void orderPlusSendToOneOrdered() {
    long n = seq.incrementAndGet();
    side.orderAndSend(n, toOne, OrderPlaced.of(n), SendOptions.orderingKey("customer-" + n % 1_000))
        .block();
  }

  /** The business transaction plus {@code sendReliable} to one receiver with a dedupe key. */
  @Benchmark
  public void orderPlusSendToOneDeduped() {
    long n = seq.incrementAndGet();
    side.orderAndSend(n, toOne, OrderPlaced.of(n), SendOptions.dedupeKey("order-" + n)).block();
  }

  /** The business transaction plus {@code sendReliable} to three receivers. */
  @Benchmark
  public void orderPlusSendToThree() {
    long n = seq.incrementAndGet();
    side.orderAndSend(n, toThree, OrderPlaced.of(n)).block();
  }
}
