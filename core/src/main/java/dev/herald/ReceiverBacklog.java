package dev.herald;

/**
 * Ready tasks addressed to one (signal, receiver) pair.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param ready number of tasks in state {@code ready}
 */
public record ReceiverBacklog(String signal, String receiver, long ready) {}
