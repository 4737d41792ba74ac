package dev.herald.testkit;

/**
 * The kit's payload.
 *
 * @param key unique per send, so deliveries can be accounted
 * @param n a number
 */
public record Note(String key, int n) {}
