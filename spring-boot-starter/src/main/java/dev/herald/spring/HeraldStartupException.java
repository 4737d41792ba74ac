package dev.herald.spring;

/**
 * Herald cannot start as configured: what is wrong, and what to change. {@link
 * HeraldFailureAnalyzer} turns it into Spring Boot's startup failure report.
 */
final class HeraldStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String action;

  /**
   * @param description what is wrong, naming the beans, signals and receivers involved
   * @param action what to change
   */
  HeraldStartupException(String description, String action) {
    super(description);
    this.action = action;
  }

  /**
   * @param description what is wrong
   * @param action what to change
   * @param cause what Herald or the database said
   */
  HeraldStartupException(String description, String action, Throwable cause) {
    super(description, cause);
    this.action = action;
  }

  String action() {
    return action;
  }
}
