package dev.herald.examples.vertx;

/** A failure the HTTP API answers with its status code and message. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status, such as 404
   * @param message what went wrong, shown to the client
   */
  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * The HTTP status.
   *
   * @return for example 404
   */
  int status() {
    return status;
  }
}
