package dev.herald.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Herald's library code never blocks a thread and never uses JDBC: checked on the main classes of
 * every published module (core, both adapters, the Spring Boot starter, the dashboard, the relays),
 * statically, so that it also covers the paths no test runs under BlockHound.
 */
class NonBlockingLibraryTest {

  private static final String[] LIBRARY = {
    "dev.herald",
    "dev.herald.spi",
    "dev.herald.testing",
    "dev.herald.r2dbc",
    "dev.herald.vertx",
    "dev.herald.spring",
    "dev.herald.dashboard",
    "dev.herald.relay"
  };

  /** Calls that park the calling thread until something else happens. */
  private static final Map<String, Set<String>> BLOCKING =
      Map.of(
          "reactor.core.publisher.Mono", Set.of("block", "blockOptional"),
          "reactor.core.publisher.Flux",
              Set.of("blockFirst", "blockLast", "toIterable", "toStream"),
          "java.lang.Thread", Set.of("sleep", "join"),
          "java.lang.Object", Set.of("wait"),
          "java.util.concurrent.Future", Set.of("get"),
          "java.util.concurrent.CompletableFuture", Set.of("get", "join"),
          "java.util.concurrent.CountDownLatch", Set.of("await"),
          "io.vertx.core.Future", Set.of("await"));

  /**
   * The only blocking calls allowed, each on a thread that is the container's own and must wait:
   * Spring starts and stops lifecycles synchronously, and the schema must exist before the web
   * server takes traffic.
   */
  private static final Set<String> ALLOWED =
      Set.of("dev.herald.spring.SchemaStep.run()", "dev.herald.spring.HeraldLifecycle.stop()");

  private static JavaClasses library;

  @BeforeAll
  static void importMainClasses() {
    library =
        new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/"))
            .withImportOption(location -> !location.contains("-tests.jar"))
            // The test fixtures drive tests from the test's own thread: they may wait.
            .withImportOption(
                location ->
                    !location.contains("herald-test-fixtures")
                        && !location.contains("/test-fixtures/"))
            .importPackages(LIBRARY);
  }

  @Test
  void theImportSawEveryModule() {
    for (String type :
        List.of(
            "dev.herald.Herald",
            "dev.herald.testing.InMemoryTaskStore",
            "dev.herald.r2dbc.R2dbcTaskStore",
            "dev.herald.vertx.VertxTaskStore",
            "dev.herald.spring.SchemaStep",
            "dev.herald.spring.HeraldLifecycle",
            "dev.herald.dashboard.Dashboard",
            "dev.herald.relay.RabbitRelay")) {
      if (!library.contain(type)) {
        throw new AssertionError("not imported, so not checked: " + type);
      }
    }
  }

  @Test
  void libraryCodeNeverCallsABlockingMethod() {
    classes().should(callNoBlockingMethod()).check(library);
  }

  @Test
  void libraryCodeNeverUsesJdbc() {
    noClasses().should().dependOnClassesThat().resideInAPackage("java.sql..").check(library);
  }

  private static ArchCondition<JavaClass> callNoBlockingMethod() {
    return new ArchCondition<>("call no blocking method") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        for (JavaMethodCall call : type.getMethodCallsFromSelf()) {
          Set<String> names = BLOCKING.get(call.getTargetOwner().getName());
          if (names != null
              && names.contains(call.getName())
              && !ALLOWED.contains(call.getOrigin().getFullName())) {
            events.add(SimpleConditionEvent.violated(call, call.getDescription()));
          }
        }
      }
    };
  }
}
