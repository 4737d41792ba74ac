package dev.herald.dashboard;

import dev.herald.Herald;
import dev.herald.ReceiverStats;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Herald's operator dashboard, independent of any web framework: it answers a {@link
 * DashboardRequest} with a {@link DashboardResponse} (an HTML page, a live-refresh fragment, JSON,
 * or the outcome of an action), reading and changing tasks only through {@link Herald}'s public
 * API. Mounts ({@code dev.herald.dashboard.spring}, {@code dev.herald.dashboard.vertx}) only
 * translate requests and responses.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Bounded reads.</b> Counts come from {@link Herald#stats(int)} with a cap; dead letters
 *       are read a page at a time, keyset-paged by id; a filter on the last error reads at most
 *       {@link Builder#maxScan(int)} rows per page or bulk action. The task search reads one task
 *       by id ({@link Herald#findTask(long)}) and, by dedupe key, at most a page of tasks per
 *       signal ({@link Herald#findTasks(String, String, int)}, for the chosen signal or each signal
 *       the counts show). Throughput history is sampled in memory from {@link Herald#events()}, a
 *       fixed ring of buckets per receiver.
 *   <li><b>Read-only by default.</b> Requeue and purge exist only with {@link
 *       Builder#actionsEnabled(boolean)}; otherwise every POST is refused (403) and the page shows
 *       no action.
 *   <li><b>CSRF.</b> A change needs a POST carrying a token bound to the browser's HttpOnly,
 *       SameSite=Strict cookie (a signed double-submit cookie); other methods never change
 *       anything. Bulk actions are reached through a confirmation page that states the count.
 *   <li><b>Escaping.</b> Every value from the store or the request is HTML-escaped; payloads show
 *       as text. Responses forbid inline script and framing (Content-Security-Policy), and are not
 *       cached.
 * </ul>
 *
 * <p>Authentication and authorization are the application's: mount the dashboard behind them.
 * {@link #handle(DashboardRequest)} is non-blocking and cold. {@link #close()} stops sampling
 * events.
 */
public final class Dashboard implements AutoCloseable {

  /** Page size of the dead-letter list by default: 50. */
  public static final int DEFAULT_PAGE_SIZE = 50;

  /** The most dead letters a reason filter reads per page or bulk action by default: 10,000. */
  public static final int DEFAULT_MAX_SCAN = 10_000;

  /** How often the page refreshes by default: 2 seconds. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);

  private final Herald herald;
  private final boolean actionsEnabled;
  private final Duration refresh;
  private final int pageSize;
  private final Queries queries;
  private final History history;
  private final Csrf csrf;
  private final Routes routes;
  private final Clock clock;
  private final Disposable sampling;

  private Dashboard(Builder b) {
    this.herald = b.herald;
    this.actionsEnabled = b.actionsEnabled;
    this.refresh = b.refresh;
    this.pageSize = b.pageSize;
    this.queries = new Queries(b.herald, b.statsCap, b.maxScan);
    this.history = new History(b.clock, b.historyBucket, b.historyBuckets);
    this.csrf = new Csrf(b.csrfSecret == null ? Csrf.randomSecret() : b.csrfSecret);
    this.routes = new Routes(this);
    this.clock = b.clock;
    this.sampling = herald.events().subscribe(history::record, e -> {});
  }

  /**
   * A builder for a dashboard of {@code herald}.
   *
   * @param herald the Herald instance to show
   * @return a builder with the defaults documented on each setter
   */
  public static Builder builder(Herald herald) {
    return new Builder(herald);
  }

  /**
   * Answers one request. Nothing happens until subscribed; each subscription reads (and, for an
   * action, writes) once. Store failures become a 503 page or JSON error, never an error signal.
   *
   * @param request the request
   * @return the response
   */
  public Mono<DashboardResponse> handle(DashboardRequest request) {
    Objects.requireNonNull(request, "request");
    return Mono.defer(() -> routes.route(request));
  }

  /**
   * Whether requeue and purge are enabled.
   *
   * @return what {@link Builder#actionsEnabled(boolean)} set
   */
  public boolean actionsEnabled() {
    return actionsEnabled;
  }

  /** Stops sampling {@link Herald#events()}; the Herald instance itself is left alone. */
  @Override
  public void close() {
    sampling.dispose();
  }

  Herald herald() {
    return herald;
  }

  Queries queries() {
    return queries;
  }

  History history() {
    return history;
  }

  Csrf csrf() {
    return csrf;
  }

  Duration refresh() {
    return refresh;
  }

  Clock clock() {
    return clock;
  }

  int pageSize() {
    return pageSize;
  }

  /** Dashboard settings, validated as they are set. */
  public static final class Builder {
    private final Herald herald;
    private boolean actionsEnabled;
    private Duration refresh = DEFAULT_REFRESH;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int statsCap = ReceiverStats.DEFAULT_CAP;
    private int maxScan = DEFAULT_MAX_SCAN;
    private Duration historyBucket = Duration.ofSeconds(10);
    private int historyBuckets = 30;
    private Clock clock = Clock.systemUTC();
    private byte[] csrfSecret;

    private Builder(Herald herald) {
      this.herald = Objects.requireNonNull(herald, "herald");
    }

    /**
     * Whether operators may requeue and purge dead letters. Defaults to false (read-only).
     *
     * @param enabled true to enable actions
     * @return this builder
     */
    public Builder actionsEnabled(boolean enabled) {
      this.actionsEnabled = enabled;
      return this;
    }

    /**
     * How often the page refreshes itself. Defaults to {@link #DEFAULT_REFRESH}; at least 500 ms.
     *
     * @param refresh the interval
     * @return this builder
     */
    public Builder refreshInterval(Duration refresh) {
      Objects.requireNonNull(refresh, "refreshInterval");
      if (refresh.toMillis() < 500) {
        throw new IllegalArgumentException(
            "refreshInterval must be at least 500ms, but was " + refresh);
      }
      this.refresh = refresh;
      return this;
    }

    /**
     * Dead letters per page. Defaults to {@link #DEFAULT_PAGE_SIZE}; 1 to 500.
     *
     * @param pageSize the page size
     * @return this builder
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 500) {
        throw new IllegalArgumentException(
            "pageSize must be between 1 and 500, but was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * The cap of every count (see {@link Herald#stats(int)}). Defaults to {@link
     * ReceiverStats#DEFAULT_CAP}; at least 1.
     *
     * @param cap the cap
     * @return this builder
     */
    public Builder statsCap(int cap) {
      if (cap < 1) {
        throw new IllegalArgumentException("statsCap must be at least 1, but was " + cap);
      }
      this.statsCap = cap;
      return this;
    }

    /**
     * The most dead letters a filter on the last error reads per page or bulk action. Defaults to
     * {@link #DEFAULT_MAX_SCAN}; at least 1.
     *
     * @param maxScan the limit
     * @return this builder
     */
    public Builder maxScan(int maxScan) {
      if (maxScan < 1) {
        throw new IllegalArgumentException("maxScan must be at least 1, but was " + maxScan);
      }
      this.maxScan = maxScan;
      return this;
    }

    /**
     * The throughput history: {@code buckets} intervals of {@code bucket} each. Defaults to 30 of
     * 10 seconds (5 minutes).
     *
     * @param bucket one interval, at least 1 second
     * @param buckets how many, 2 to 1,000
     * @return this builder
     */
    public Builder history(Duration bucket, int buckets) {
      Objects.requireNonNull(bucket, "bucket");
      if (bucket.toMillis() < 1000) {
        throw new IllegalArgumentException("history bucket must be at least 1s, but was " + bucket);
      }
      if (buckets < 2 || buckets > 1000) {
        throw new IllegalArgumentException(
            "history buckets must be between 2 and 1000, but was " + buckets);
      }
      this.historyBucket = bucket;
      this.historyBuckets = buckets;
      return this;
    }

    /**
     * The clock of the throughput history, and the one that tells a scheduled or running task found
     * by the search from a due one. Defaults to the UTC system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The key that signs CSRF tokens. Defaults to 32 random bytes per dashboard, so tokens do not
     * survive a restart; give every node behind one load balancer the same key (at least 16 bytes)
     * to let one node accept another's tokens.
     *
     * @param secret the key
     * @return this builder
     */
    public Builder csrfSecret(byte[] secret) {
      Objects.requireNonNull(secret, "csrfSecret");
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            "csrfSecret must be at least 16 bytes, but was " + secret.length);
      }
      this.csrfSecret = secret.clone();
      return this;
    }

    /**
     * Builds the dashboard and starts sampling {@link Herald#events()}.
     *
     * @return the dashboard
     */
    public Dashboard build() {
      return new Dashboard(this);
    }
  }

  static Map<String, String> securityHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Cache-Control", "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "same-origin");
    h.put("X-Frame-Options", "DENY");
    h.put(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    return h;
  }
}
