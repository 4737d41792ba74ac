package dev.herald.spi;

/**
 * One row of {@link TaskStore#taskCountReady}.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param ready number of tasks in state {@code ready}
 */
public record TaskCountReadyRow(String signal, String receiver, long ready) {}
