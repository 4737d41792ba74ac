package dev.herald;

/**
 * Finds what PostgreSQL cannot store in {@code text} or {@code jsonb}: the NUL character, raw or as
 * the JSON escape {@code \u0000}, and unpaired UTF-16 surrogates, raw or escaped (they have no
 * UTF-8 form: the driver would replace them silently, and {@code jsonb} rejects their escapes).
 */
final class StorableText {

  private StorableText() {}

  /**
   * The first problem in a plain string, or null.
   *
   * @param s the string
   * @return a description of the problem, or null if PostgreSQL can store it
   */
  static String problem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return "a NUL character (\\u0000) at offset " + i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return "an unpaired surrogate (\\u" + hex(c) + ") at offset " + i;
        }
      }
    }
    return null;
  }

  /**
   * The first problem in JSON text, reading its escapes, or null.
   *
   * @param json JSON text as a codec wrote it
   * @return a description of the problem, or null if PostgreSQL can store it as {@code jsonb}
   */
  static String jsonProblem(String json) {
    int pendingHigh = -1;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      int at = i;
      if (c == '\\' && i + 1 < json.length()) {
        char next = json.charAt(++i);
        if (next == 'u' && i + 4 < json.length()) {
          try {
            c = (char) Integer.parseInt(json, i + 1, i + 5, 16);
          } catch (NumberFormatException e) {
            return "an invalid \\u escape at offset " + at;
          }
          i += 4;
        } else {
          // Any other escape stands for an ordinary character.
          if (pendingHigh >= 0) {
            return "an unpaired surrogate at offset " + pendingHigh;
          }
          continue;
        }
      }
      if (c == 0) {
        return "a NUL character (\\u0000) at offset " + at;
      }
      if (pendingHigh >= 0) {
        if (!Character.isLowSurrogate(c)) {
          return "an unpaired surrogate at offset " + pendingHigh;
        }
        pendingHigh = -1;
      } else if (Character.isHighSurrogate(c)) {
        pendingHigh = at;
      } else if (Character.isLowSurrogate(c)) {
        return "an unpaired surrogate (\\u" + hex(c) + ") at offset " + at;
      }
    }
    return pendingHigh >= 0 ? "an unpaired surrogate at offset " + pendingHigh : null;
  }

  private static String hex(char c) {
    return String.format("%04x", (int) c);
  }
}
