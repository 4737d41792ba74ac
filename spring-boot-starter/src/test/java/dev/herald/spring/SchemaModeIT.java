package dev.herald.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.r2dbc.R2dbcTaskStore;
import dev.herald.spi.HeraldSql;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/** {@code herald.schema.mode} against the test PostgreSQL, each context on a table of its own. */
class SchemaModeIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String[] database = TestDatabaseProperties.withFreshTable();
  private final String table = TestDatabaseProperties.tableName(database);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  R2dbcAutoConfiguration.class,
                  R2dbcTransactionManagerAutoConfiguration.class,
                  HeraldAutoConfiguration.class))
          .withPropertyValues(database);

  @Test
  void installCreatesTheSchemaBeforeHeraldStartsAndValidatePassesOnIt() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(R2dbcTaskStore.class);
          assertThat(exists(context, table)).isTrue();
          // A second context on the same table validates it.
          runner
              .withPropertyValues("herald.store.table-name=" + table, "herald.schema.mode=validate")
              .run(validated -> assertThat(validated).hasNotFailed());
        });
  }

  @Test
  void validateFailsStartupNamingWhatIsMissing() {
    runner
        .withPropertyValues("herald.schema.mode=validate")
        .run(
            context -> {
              assertThat(context).hasFailed();
              FailureAnalysis analysis =
                  new HeraldFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis.getDescription())
                  .contains("is not at version " + SchemaValidation.VERSION)
                  .contains("missing: table " + table + ", sequence")
                  .contains("function " + table + "_claim(text[],");
              assertThat(analysis.getAction())
                  .contains("herald.schema.mode=install")
                  .contains("${table}");
            });
  }

  @Test
  void validateNamesTheObjectsOfTheLatestVersionOnly() {
    assertValidateReports(
        "DROP FUNCTION " + table + "_claim_limited",
        "missing: function "
            + table
            + "_claim_limited(text[], text[], int[], text, float8, text[], boolean[], int[]).");
  }

  @Test
  void validateNamesAMissingIndexOfAVersionThatAddsOnlyIndexes() {
    assertValidateReports(
        "DROP INDEX " + table + "_done_key_idx", "missing: index " + table + "_done_key_idx.");
  }

  // Installs, runs the statement, then starts in validate mode: the failure ends with `expected`.
  private void assertValidateReports(String statement, String expected) {
    runner.run(
        context -> {
          db(context).sql(statement).then().block(TIMEOUT);

          runner
              .withPropertyValues("herald.store.table-name=" + table, "herald.schema.mode=validate")
              .run(
                  validated ->
                      assertThat(
                              new HeraldFailureAnalyzer()
                                  .analyze(validated.getStartupFailure())
                                  .getDescription())
                          .endsWith(expected));
        });
  }

  @Test
  void noneLeavesTheDatabaseAlone() {
    runner
        .withPropertyValues("herald.schema.mode=none")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(exists(context, table)).isFalse();
            });
  }

  @Test
  void validationListsTheObjectsOfCoresCurrentSchemaVersion() {
    // When core adds a schema script, SchemaValidation must list its objects.
    assertThat(SchemaValidation.VERSION).isEqualTo(HeraldSql.SCHEMA_VERSION);
  }

  private static DatabaseClient db(ApplicationContext context) {
    return DatabaseClient.create(context.getBean(ConnectionFactory.class));
  }

  private static boolean exists(ApplicationContext context, String table) {
    return db(context)
        .sql("SELECT to_regclass($1) IS NOT NULL AS present")
        .bind(0, table)
        .map(row -> row.get("present", Boolean.class))
        .one()
        .block(TIMEOUT);
  }
}
