package dev.herald;

/**
 * The ready tasks of one (signal, receiver) pair in the task table, as counted by {@link
 * Herald#backlog()}.
 *
 * @param signal the signal's name
 * @param receiver the receiver's name
 * @param ready number of tasks in state {@code ready} (due, scheduled or leased)
 * @param connected whether the receiver is connected to the instance that counted: a pair no
 *     running node has connected is never delivered (a receiver removed or renamed, or known only
 *     to newer nodes)
 */
public record ReceiverBacklog(String signal, String receiver, long ready, boolean connected) {}
