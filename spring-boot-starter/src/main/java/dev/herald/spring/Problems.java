package dev.herald.spring;

import org.springframework.validation.Errors;

/**
 * Where option checks report an invalid value: under the dashed path of its property, relative to
 * the object being checked ({@code poll-interval}, {@code retry.max-delay}).
 */
@FunctionalInterface
interface Problems {

  /**
   * Reports an invalid value.
   *
   * @param property the dashed property path, relative to the checked object
   * @param message Herald's reason, for example {@code pollInterval must be positive, but was PT0S}
   */
  void reject(String property, String message);

  /** The same reports, with {@code prefix} in front of every path. */
  default Problems under(String prefix) {
    return (property, message) -> reject(prefix + property, message);
  }

  /**
   * Rejects into Spring's {@link Errors}. Spring Boot's {@code ValidationBindHandler} resolves a
   * dashed path against the bound properties, so the report names the full property ({@code
   * herald.poll-interval}) with its value and origin.
   */
  static Problems of(Errors errors, String prefix) {
    return (property, message) -> errors.rejectValue(prefix + property, "herald.invalid", message);
  }

  /**
   * For values already checked when they were bound: a report here is a bug in the starter.
   *
   * @param what the object, for the message
   */
  static Problems unexpected(String what) {
    return (property, message) -> {
      throw new IllegalStateException(what + "." + property + " passed its check but " + message);
    };
  }
}
