package dev.herald.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Small shared checks for the params records. */
final class Params {
  private Params() {}

  static <T> List<T> list(String name, List<T> values) {
    return List.copyOf(Objects.requireNonNull(values, name));
  }

  static void sameLength(long[] ids, int[] attempts) {
    if (ids.length != attempts.length) {
      throw new IllegalArgumentException(
          "ids and attempts differ in length: " + ids.length + " vs " + attempts.length);
    }
  }

  static String tokens(long[] ids, int[] attempts) {
    return Arrays.toString(ids) + "@" + Arrays.toString(attempts);
  }
}
