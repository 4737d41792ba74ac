package dev.herald.examples.domain;

/**
 * Input that {@link ApiInput} rejected. Both demos answer it with 400 and {@code {"error":
 * message}}; the message names the parameter, what is allowed and what was sent.
 */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  InvalidInputException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /**
   * The rejected part of the request.
   *
   * @return a query parameter or body field, such as {@code limit} or {@code amountCents}, or
   *     {@code body} for the body as a whole
   */
  public String parameter() {
    return parameter;
  }
}
