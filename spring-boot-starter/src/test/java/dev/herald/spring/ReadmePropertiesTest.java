package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's Spring Boot properties tables name every {@code herald.*} property of the
 * configuration metadata that {@link HeraldProperties} generates, so that a new property cannot
 * stay undocumented.
 */
class ReadmePropertiesTest {

  private static final String RECEIVER = "herald.receiver-defaults.";

  @Test
  void readmeNamesEveryHeraldProperty() throws IOException {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = JsonMapper.builder().build().readTree(in);
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> missing = new ArrayList<>();
    for (JsonNode property : metadata.get("properties")) {
      String name = property.get("name").asString();
      // Receiver options are listed once, by their key under receiver-defaults.
      String key = name.startsWith(RECEIVER) ? name.substring(RECEIVER.length()) : name;
      // A map property (herald.receivers) is listed by its keys' pattern.
      if (!readme.contains("`" + key + "`") && !readme.contains("| `" + key + ".<")) {
        missing.add(name);
      }
    }
    assertThat(missing).as("herald.* properties missing from README.md's tables").isEmpty();
  }
}
