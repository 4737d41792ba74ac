package dev.herald;

/**
 * {@link Signal#sendReliable} found no receiver for its signal: none connected or declared on the
 * sending node, and none in the store's registry (registered by a running node). Nothing was
 * written, and the caller's transaction stays usable. Usually a deployment problem: the receiving
 * nodes have not started yet, or the signal's name differs between sender and receiver. A signal
 * that may legitimately have no receiver opts out with {@link Signal#allowNoReceivers()}.
 */
public final class NoReceiverException extends HeraldException {

  private static final long serialVersionUID = 1L;

  private final String signal;

  /**
   * Creates the exception.
   *
   * @param signal the signal that was being sent
   */
  public NoReceiverException(String signal) {
    super(
        "sendReliable("
            + signal
            + ") found no receiver: none is connected or declared on this node, and no running node"
            + " has registered one. Connect or declare one (Signal.connect / Signal.declare), start"
            + " a node that runs one, or call Signal.allowNoReceivers() if sends may go unheard");
    this.signal = signal;
  }

  /**
   * The signal that was being sent.
   *
   * @return the signal's name
   */
  public String signal() {
    return signal;
  }
}
