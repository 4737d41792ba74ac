package dev.herald.examples.orders;

import dev.herald.examples.domain.DemoDatabase;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points {@code spring.r2dbc.*} at the demo's PostgreSQL before the context starts: the server that
 * {@code HERALD_DATABASE_URL} (the property {@code herald.database.url}) names, else an embedded
 * one started here. Spring Boot then builds the one connection pool that the transaction manager,
 * the {@code DatabaseClient} and Herald's task store share. Not Herald wiring: a demo's way of
 * running without a server; an application sets {@code spring.r2dbc.url} instead.
 *
 * <p>The embedded server is registered as the context's first disposable singleton, so it stops
 * last: after Herald closed (a lifecycle, stopped before any bean is destroyed) and after the pool
 * was disposed. Registered in {@code META-INF/spring.factories}.
 */
public final class DemoDatabaseInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabaseInitializer.class);

  /** For Spring. */
  public DemoDatabaseInitializer() {}

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String url = context.getEnvironment().getProperty("herald.database.url", "");
    DemoDatabase db = url.isBlank() ? DemoDatabase.startEmbedded() : DemoDatabase.fromUrl(url);
    log.info("Using PostgreSQL at {}", db.describe());
    Map<String, Object> r2dbc = new HashMap<>();
    r2dbc.put(
        "spring.r2dbc.url",
        "r2dbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database());
    r2dbc.put("spring.r2dbc.username", db.user());
    if (db.password() != null) {
      r2dbc.put("spring.r2dbc.password", db.password());
    }
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("demoDatabase", r2dbc));
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    beans.registerSingleton("demoDatabase", db);
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      registry.registerDisposableBean("demoDatabase", db::close);
    }
  }
}
