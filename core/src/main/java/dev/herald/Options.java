package dev.herald;

import java.time.Duration;
import java.util.Objects;

/** Shared argument checks, so every option fails with the same kind of message. */
final class Options {

  private Options() {}

  static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, but was " + value);
    }
    return value;
  }

  static int atLeast(String name, int min, int value) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + value);
    }
    return value;
  }

  static String name(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > 200) {
      throw new IllegalArgumentException(
          what + " must be 1 to 200 characters and not blank, but was '" + value + "'");
    }
    // Names are stored with every task and printed in logs: no control characters, and nothing
    // PostgreSQL cannot store (NUL, unpaired surrogates).
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1));
      if (paired) {
        i++;
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what
                + " must not contain control characters or unpaired surrogates, but has \\u"
                + String.format("%04x", (int) c)
                + " at offset "
                + i);
      }
    }
    return value;
  }
}
