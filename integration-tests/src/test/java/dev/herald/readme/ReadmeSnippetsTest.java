package dev.herald.readme;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the READMEs' code blocks compiled: a block preceded by {@code <!-- snippet: NAME -->} must
 * equal the region {@code NAME} of the repository's sources, marked {@code // tag::NAME[]} ...
 * {@code // end::NAME[]} ({@code #} in properties files), indentation removed; several regions of
 * one name in a file are joined. Every {@code java} block is either such a snippet or marked {@code
 * <!-- fragment: why it is not compiled -->}.
 *
 * <p>On a difference the test fails with a diff ({@code -} README, {@code +} source). {@code
 * -Dherald.readme.update=true} rewrites the READMEs' snippets from the sources instead.
 */
class ReadmeSnippetsTest {

  /** The Markdown files checked, relative to the repository's root. */
  static final List<String> DOCUMENTS = List.of("README.md", "spring-boot-starter/README.md");

  private static final Pattern MARKER =
      Pattern.compile("^\\s*<!--\\s*(snippet|fragment):\\s*(.*?)\\s*-->\\s*$");
  private static final Pattern TAG =
      Pattern.compile("^\\s*(?://|#)\\s*(tag|end)::([A-Za-z0-9._-]+)\\[\\]\\s*$");
  private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyReadmeSnippetEqualsItsTaggedSourceRegion() throws IOException {
    Map<String, String> regions = regions();
    boolean update = Boolean.getBoolean("herald.readme.update");
    List<String> problems = new ArrayList<>();
    for (String document : DOCUMENTS) {
      Path file = ROOT.resolve(document);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> updated = check(document, lines, regions, problems);
      if (update && !updated.equals(lines)) {
        Files.write(file, updated, StandardCharsets.UTF_8);
      }
    }
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " README problem(s); run the test with -Dherald.readme.update=true to copy the"
              + " sources into the READMEs\n\n"
              + String.join("\n\n", problems));
    }
  }

  /**
   * Checks one document; answers its lines with every snippet taken from the sources.
   *
   * @param document the name, for messages
   * @param lines its lines
   * @param regions the tagged regions by name
   * @param problems where problems are added
   * @return the lines, snippets updated
   */
  static List<String> check(
      String document, List<String> lines, Map<String, String> regions, List<String> problems) {
    List<String> out = new ArrayList<>();
    String marker = null; // the marker line before the next fence: "snippet: x" or "fragment: y"
    int markerLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      out.add(line);
      Matcher m = MARKER.matcher(line);
      if (m.matches()) {
        marker = m.group(1) + ":" + m.group(2);
        markerLine = i + 1;
        continue;
      }
      Matcher fence = FENCE.matcher(line);
      if (!fence.matches()) {
        if (!line.isBlank()) {
          marker = null;
        }
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).startsWith("```")) {
        end++;
      }
      List<String> body = lines.subList(i + 1, Math.min(end, lines.size()));
      String where = document + ":" + (i + 1);
      if (marker != null && marker.startsWith("snippet:")) {
        String name = marker.substring("snippet:".length());
        String region = regions.get(name);
        if (region == null) {
          problems.add(
              where + ": no source region tagged '" + name + "' (line " + markerLine + ")");
          out.addAll(body);
        } else {
          List<String> expected = region.lines().toList();
          if (!expected.equals(body)) {
            problems.add(
                where
                    + ": snippet '"
                    + name
                    + "' differs from its source\n"
                    + diff(body, expected));
          }
          out.addAll(expected);
        }
      } else {
        if (marker != null && marker.equals("fragment:")) {
          problems.add(where + ": a fragment marker must say why the block is not compiled");
        } else if (marker == null && fence.group(1).equals("java")) {
          problems.add(
              where
                  + ": a java block needs <!-- snippet: NAME --> (a tagged source region) or"
                  + " <!-- fragment: why it is not compiled --> on the line before it");
        }
        out.addAll(body);
      }
      if (end < lines.size()) {
        out.add(lines.get(end));
      }
      i = end;
      marker = null;
    }
    return out;
  }

  /**
   * Every tagged region in the repository's sources.
   *
   * @return the regions by name, each without its common indentation
   */
  static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    Map<String, Path> owners = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(ReadmeSnippetsTest::isSource)
              .sorted()
              .toList()) {
        for (Map.Entry<String, String> region : regionsOf(file).entrySet()) {
          Path owner = owners.putIfAbsent(region.getKey(), file);
          if (owner != null) {
            throw new IllegalStateException(
                "region '" + region.getKey() + "' is tagged in " + owner + " and in " + file);
          }
          regions.put(region.getKey(), region.getValue());
        }
      }
    }
    return regions;
  }

  private static boolean isSource(Path file) {
    String path = ROOT.relativize(file).toString().replace('\\', '/');
    return path.contains("/src/")
        && !path.contains("/target/")
        && (path.endsWith(".java") || path.endsWith(".properties"));
  }

  static Map<String, String> regionsOf(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<String>> open = new LinkedHashMap<>();
    Map<String, List<String>> done = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = TAG.matcher(line);
      if (m.matches()) {
        String name = m.group(2);
        if (m.group(1).equals("tag")) {
          open.put(name, done.computeIfAbsent(name, n -> new ArrayList<>()));
        } else if (open.remove(name) == null) {
          throw new IllegalStateException(file + ": end::" + name + "[] without tag::" + name);
        }
        continue;
      }
      for (List<String> region : open.values()) {
        region.add(line);
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalStateException(file + ": tag(s) never ended: " + open.keySet());
    }
    Map<String, String> regions = new LinkedHashMap<>();
    done.forEach((name, region) -> regions.put(name, dedent(region)));
    return regions;
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.isBlank() ? "" : l.substring(indent));
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return String.join("\n", out);
  }

  /** A line diff by longest common subsequence: "-" only in the README, "+" only in the source. */
  static String diff(List<String> readme, List<String> source) {
    int n = readme.size();
    int m = source.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            readme.get(i).equals(source.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && readme.get(i).equals(source.get(j))) {
        ops.add("  " + readme.get(i));
        i++;
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        ops.add("+ " + source.get(j++));
      } else {
        ops.add("- " + readme.get(i++));
      }
    }
    // Three lines of context around each change, as diff -u shows.
    StringBuilder out = new StringBuilder();
    int last = -1;
    for (int k = 0; k < ops.size(); k++) {
      boolean near = false;
      for (int d = Math.max(0, k - 3); d <= Math.min(ops.size() - 1, k + 3) && !near; d++) {
        near = !ops.get(d).startsWith("  ");
      }
      if (near) {
        if (last >= 0 && k > last + 1) {
          out.append("...\n");
        }
        out.append(ops.get(k)).append('\n');
        last = k;
      }
    }
    return out.toString();
  }
}
