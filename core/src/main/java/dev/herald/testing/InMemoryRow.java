package dev.herald.testing;

import dev.herald.spi.TaskListRow;
import java.time.Instant;

/** One stored task of {@link InMemoryTasks}. Guarded by the store's monitor. */
final class InMemoryRow {
  final long id;
  final String signal;
  final String receiver;
  final String payload;
  final String headers;
  final long createdAt;
  String state = "ready";
  int attempt;
  long runAt;
  long lockedUntil;
  String lockedBy;
  String lastError;
  String orderKey;
  String dedupeKey;

  InMemoryRow(long id, String signal, String receiver, String payload, String headers, long now) {
    this.id = id;
    this.signal = signal;
    this.receiver = receiver;
    this.payload = payload;
    this.headers = headers;
    this.createdAt = now;
    this.runAt = now;
  }

  void unlock() {
    lockedBy = null;
    lockedUntil = 0;
  }

  TaskListRow kept(long completedAt) {
    return new TaskListRow(
        id,
        signal,
        receiver,
        "done",
        attempt,
        Instant.ofEpochMilli(completedAt),
        Instant.ofEpochMilli(createdAt),
        null,
        payload,
        dedupeKey,
        null,
        null);
  }

  TaskListRow listed() {
    return new TaskListRow(
        id,
        signal,
        receiver,
        state,
        attempt,
        Instant.ofEpochMilli(runAt),
        Instant.ofEpochMilli(createdAt),
        lastError,
        payload,
        dedupeKey,
        lockedBy,
        lockedBy == null ? null : Instant.ofEpochMilli(lockedUntil));
  }
}
