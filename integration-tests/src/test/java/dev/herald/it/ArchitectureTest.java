package dev.herald.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout every module keeps, checked on the main classes of core and both adapters: the store
 * SPI at the bottom, the API (with its package-private engine) above it, the in-memory store and
 * the adapters on top; no cycle between packages; no adapter reaching into another or into the test
 * store; and no public signature showing a type an application cannot name.
 */
class ArchitectureTest {

  private static final String API = "dev.herald";
  private static final String SPI = "dev.herald.spi..";
  private static final String TESTING = "dev.herald.testing..";
  private static final String R2DBC = "dev.herald.r2dbc..";
  private static final String VERTX = "dev.herald.vertx..";

  private static JavaClasses herald;

  @BeforeAll
  static void importMainClasses() {
    // Main classes only: test classes and the test-jar (the kit) follow rules of their own.
    ImportOption mainOnly =
        location ->
            !location.contains("/test-classes/")
                && !location.contains("-tests.jar")
                && !location.contains("herald-test-fixtures");
    herald =
        new ClassFileImporter()
            .withImportOption(mainOnly)
            .importPackages(
                API,
                "dev.herald.spi",
                "dev.herald.testing",
                "dev.herald.r2dbc",
                "dev.herald.vertx");
  }

  @Test
  void theImportSawEveryModule() {
    for (String type :
        List.of(
            "dev.herald.Herald",
            "dev.herald.Engine",
            "dev.herald.spi.SqlTaskStore",
            "dev.herald.testing.InMemoryTaskStore",
            "dev.herald.r2dbc.R2dbcTaskStore",
            "dev.herald.vertx.VertxTaskStore")) {
      if (!herald.contain(type)) {
        throw new AssertionError("not imported, so not checked: " + type);
      }
    }
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.(**)").should().beFreeOfCycles().check(herald);
  }

  @Test
  void theSpiDependsOnNoOtherHeraldPackage() {
    noClasses()
        .that()
        .resideInAPackage(SPI)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(API, TESTING, R2DBC, VERTX)
        .check(herald);
  }

  @Test
  void coreNeverDependsOnAnAdapter() {
    noClasses()
        .that()
        .resideInAnyPackage(API, SPI, TESTING)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(R2DBC, VERTX)
        .check(herald);
  }

  @Test
  void adaptersUseCoreOnlyThroughTheApiAndTheSpi() {
    for (String[] pair : new String[][] {{R2DBC, VERTX}, {VERTX, R2DBC}}) {
      noClasses()
          .that()
          .resideInAPackage(pair[0])
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(pair[1], TESTING, "..internal..")
          .check(herald);
    }
  }

  @Test
  void noPublicSignatureShowsATypeThatIsNotPublic() {
    classes().that().arePublic().should(exposeOnlyPublicHeraldTypes()).check(herald);
  }

  private static ArchCondition<JavaClass> exposeOnlyPublicHeraldTypes() {
    return new ArchCondition<>("show only public Herald types in public signatures") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<String> leaks = new ArrayList<>();
        for (JavaCodeUnit unit : type.getCodeUnits()) {
          if (!visible(unit.getModifiers())) {
            continue;
          }
          List<JavaType> shown = new ArrayList<>(unit.getParameterTypes());
          shown.add(unit.getReturnType());
          for (JavaType t : shown) {
            leaks.addAll(hidden(t, unit.getFullName()));
          }
        }
        for (JavaField field : type.getFields()) {
          if (visible(field.getModifiers())) {
            leaks.addAll(hidden(field.getType(), field.getFullName()));
          }
        }
        for (String leak : leaks) {
          events.add(SimpleConditionEvent.violated(type, leak));
        }
      }
    };
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static List<String> hidden(JavaType shown, String where) {
    List<String> leaks = new ArrayList<>();
    for (JavaClass raw : shown.getAllInvolvedRawTypes()) {
      JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
      if (base.getPackageName().startsWith("dev.herald")
          && !base.getModifiers().contains(JavaModifier.PUBLIC)) {
        leaks.add(where + " shows " + base.getName() + ", which is not public");
      }
    }
    return leaks;
  }
}
