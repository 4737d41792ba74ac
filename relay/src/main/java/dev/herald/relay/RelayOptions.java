package dev.herald.relay;

import static java.util.Objects.requireNonNull;

import dev.herald.PayloadCodec;
import java.net.URI;
import java.time.Duration;

/**
 * How a relay writes and confirms messages: the body's {@link RelayFormat}, the CloudEvents {@code
 * source}, the codec that turns payloads into JSON and how long to wait for the broker's
 * confirmation. Immutable; validated when built.
 *
 * <p>Defaults: {@link RelayFormat#CLOUDEVENTS}, source {@value #DEFAULT_SOURCE}, {@link
 * PayloadCodec#json()}, confirm timeout {@link #DEFAULT_CONFIRM_TIMEOUT} (10 s).
 */
public final class RelayOptions {

  /** The default CloudEvents source. */
  public static final String DEFAULT_SOURCE = "/herald";

  /** The default time to wait for a broker's confirmation: 10 seconds. */
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private static final RelayOptions DEFAULTS = builder().build();

  private final RelayFormat format;
  private final String source;
  private final PayloadCodec codec;
  private final Duration confirmTimeout;

  private RelayOptions(Builder b) {
    this.format = b.format;
    this.source = b.source;
    this.codec = b.codec;
    this.confirmTimeout = b.confirmTimeout;
  }

  /**
   * The defaults.
   *
   * @return the default options
   */
  public static RelayOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The body's format.
   *
   * @return the format
   */
  public RelayFormat format() {
    return format;
  }

  /**
   * The CloudEvents {@code source}: with the task id as {@code id}, it identifies an event, so give
   * each Herald table its own source when several relay to one destination.
   *
   * @return the source, a URI reference
   */
  public String source() {
    return source;
  }

  /**
   * The codec that writes the payload's JSON.
   *
   * @return the codec
   */
  public PayloadCodec codec() {
    return codec;
  }

  /**
   * How long a publish waits for the broker's confirmation before the attempt fails (and is
   * retried). Keep it below the receiver's timeout.
   *
   * @return the timeout
   */
  public Duration confirmTimeout() {
    return confirmTimeout;
  }

  @Override
  public String toString() {
    return "RelayOptions[format="
        + format
        + ", source="
        + source
        + ", confirmTimeout="
        + confirmTimeout
        + "]";
  }

  /** Builds {@link RelayOptions}. */
  public static final class Builder {

    private RelayFormat format = RelayFormat.CLOUDEVENTS;
    private String source = DEFAULT_SOURCE;
    private PayloadCodec codec = PayloadCodec.json();
    private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;

    private Builder() {}

    /**
     * The body's format. Defaults to {@link RelayFormat#CLOUDEVENTS}.
     *
     * @param format the format
     * @return this builder
     */
    public Builder format(RelayFormat format) {
      this.format = requireNonNull(format, "format");
      return this;
    }

    /**
     * The CloudEvents source. Defaults to {@value #DEFAULT_SOURCE}. Must be a non-empty URI
     * reference.
     *
     * @param source the source
     * @return this builder
     * @throws IllegalArgumentException naming {@code source} if it is empty or not a URI reference
     */
    public Builder source(String source) {
      requireNonNull(source, "source");
      try {
        URI.create(source);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "source must be a URI reference, but was '" + source + "'", e);
      }
      if (source.isEmpty()) {
        throw new IllegalArgumentException("source must not be empty");
      }
      this.source = source;
      return this;
    }

    /**
     * The codec that writes the payload's JSON. Defaults to {@link PayloadCodec#json()}; pass the
     * codec Herald was built with if it is configured.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(PayloadCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /**
     * How long to wait for the broker's confirmation. Defaults to {@link #DEFAULT_CONFIRM_TIMEOUT}.
     * Must be positive.
     *
     * @param timeout the timeout
     * @return this builder
     * @throws IllegalArgumentException naming {@code confirmTimeout} if it is not positive
     */
    public Builder confirmTimeout(Duration timeout) {
      requireNonNull(timeout, "confirmTimeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("confirmTimeout must be positive, but was " + timeout);
      }
      this.confirmTimeout = timeout;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public RelayOptions build() {
      return new RelayOptions(this);
    }
  }
}
