package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What PostgreSQL cannot store is found before any SQL runs, and nothing else is. */
class StorableTextTest {

  @Test
  void findsNulAndUnpairedSurrogatesInPlainText() {
    assertThat(StorableText.problem("fine \ud83d\ude00 emoji")).isNull();
    assertThat(StorableText.problem("a\u0000b")).contains("NUL").contains("offset 1");
    assertThat(StorableText.problem("x\ud800")).contains("unpaired surrogate");
    assertThat(StorableText.problem("\udc00x")).contains("unpaired surrogate");
  }

  @Test
  void readsJsonEscapesAndIgnoresEscapedBackslashes() {
    assertThat(StorableText.jsonProblem("{\"k\":\"a\\u0000b\"}")).contains("NUL");
    assertThat(StorableText.jsonProblem("{\"k\":\"a\\\\u0000b\"}")).isNull();
    assertThat(StorableText.jsonProblem("{\"k\":\"\\ud83d\\ude00\"}")).isNull();
    assertThat(StorableText.jsonProblem("{\"k\":\"\\ud83d\"}")).contains("unpaired surrogate");
    assertThat(StorableText.jsonProblem("{\"k\":\"\\ude00\"}")).contains("unpaired surrogate");
    assertThat(StorableText.jsonProblem("{\"k\":\"\\ud83d\\n\"}")).contains("unpaired surrogate");
    assertThat(StorableText.jsonProblem("{\"k\":\"caf\u00e9 \\\" \\t\"}")).isNull();
  }
}
