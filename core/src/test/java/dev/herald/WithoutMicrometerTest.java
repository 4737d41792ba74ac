package dev.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testing.InMemoryTaskStore;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Micrometer is optional: Herald sends and delivers with no {@code io.micrometer} class loadable,
 * as in an application without it (the adapters' own test runs have it through Resilience4j, so
 * they do not prove this).
 */
class WithoutMicrometerTest {

  @Test
  void heraldSendsAndDeliversWithoutMicrometerOnTheClasspath() throws Exception {
    try (URLClassLoader loader = new WithoutMicrometer()) {
      assertThatThrownBy(() -> loader.loadClass("io.micrometer.observation.ObservationRegistry"))
          .isInstanceOf(ClassNotFoundException.class);
      @SuppressWarnings("unchecked")
      Callable<String> scenario =
          (Callable<String>)
              loader.loadClass(Scenario.class.getName()).getDeclaredConstructor().newInstance();

      assertThat(scenario.call()).isEqualTo("delivered 1 with {tenant=acme}");
    }
  }

  /** Runs inside the class loader without Micrometer: an immediate-mode send and delivery. */
  public static final class Scenario implements Callable<String> {

    @Override
    public String call() {
      InMemoryTaskStore store = InMemoryTaskStore.immediate();
      Herald herald = Herald.builder(store).build();
      Signal<Long> signal = herald.signal("order.placed", Long.class);
      List<String> seen = new CopyOnWriteArrayList<>();
      signal.connect(
          "ship",
          d ->
              Mono.fromRunnable(
                  () -> seen.add("delivered " + d.payload() + " with " + d.headers())));
      herald.start();
      store.inTransaction(signal.sendReliable(1L, Map.of("tenant", "acme"))).block();
      herald.close().block();
      return String.join(", ", seen);
    }
  }

  /** The test classpath, child first, with every {@code io.micrometer} class missing. */
  private static final class WithoutMicrometer extends URLClassLoader {

    WithoutMicrometer() {
      super(urls(), ClassLoader.getPlatformClassLoader());
    }

    private static URL[] urls() {
      String path =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      return Arrays.stream(path.split(File.pathSeparator))
          .map(
              p -> {
                try {
                  return new File(p).toURI().toURL();
                } catch (MalformedURLException e) {
                  throw new IllegalStateException(e);
                }
              })
          .toArray(URL[]::new);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.micrometer.")) {
        throw new ClassNotFoundException(name + " (hidden: Micrometer is optional)");
      }
      return super.loadClass(name, resolve);
    }
  }
}
