package dev.herald.spring;

import dev.herald.Herald;
import dev.herald.HeraldOptions;
import dev.herald.PayloadCodec;
import dev.herald.Store;
import dev.herald.r2dbc.R2dbcTaskStore;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;

/**
 * Auto-configures Herald on the application's R2DBC {@link ConnectionFactory}.
 *
 * <p>Guarantees, unless {@code herald.enabled=false}:
 *
 * <ul>
 *   <li>an {@link R2dbcTaskStore} on the very {@code ConnectionFactory} bean the {@code
 *       R2dbcTransactionManager} uses (checked), so that {@code sendReliable} joins
 *       {@code @Transactional} methods and {@code TransactionalOperator}s; or, with {@code
 *       herald.test.immediate=true}, an in-memory store that runs receivers when the Spring
 *       transaction commits;
 *   <li>a {@link Herald} with the options of {@link HeraldProperties}; both it and the store yield
 *       to beans of the application's own ({@link ConditionalOnMissingBean});
 *   <li>every {@link HeraldReceiver} method and {@link ReceiverRegistration} bean connected, with
 *       its properties, after all singletons exist and before Herald starts;
 *   <li>sends and deliveries observed through the application's {@link ObservationRegistry}, when
 *       it has one, and with Micrometer Tracing, retries linked to their send (see {@link
 *       HeraldTracingConfiguration});
 *   <li>the schema installed or validated ({@code herald.schema.mode}) and the dispatcher started
 *       before the web server takes requests; on shutdown, Herald closed after the web server
 *       stopped, within {@code herald.shutdown-grace}.
 * </ul>
 *
 * <p>Misconfiguration fails startup with a report that says what to change. Exclude this class to
 * wire Herald by hand.
 */
@AutoConfiguration(
    after = {R2dbcAutoConfiguration.class, R2dbcTransactionManagerAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure"
          + ".OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration"
    })
@ConditionalOnBooleanProperty(name = "herald.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HeraldProperties.class)
@Import({
  HeraldAutoConfiguration.DatabaseStore.class,
  HeraldAutoConfiguration.ImmediateStore.class,
  HeraldTracingConfiguration.class
})
public final class HeraldAutoConfiguration {

  // What stop() may wait beyond the grace: releasing the tasks still held.
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

  /** For Spring. */
  public HeraldAutoConfiguration() {}

  @Bean(destroyMethod = "") // closed by HeraldLifecycle, after the web server stopped
  @ConditionalOnMissingBean
  Herald herald(
      Store store,
      HeraldProperties properties,
      ObjectProvider<PayloadCodec> codec,
      ObjectProvider<ObservationRegistry> observationRegistry) {
    Herald.Builder builder =
        Herald.builder(store)
            .options(OptionsMapping.engine(properties, Problems.unexpected("herald")));
    codec.ifAvailable(builder::codec);
    observationRegistry.ifUnique(builder::observationRegistry);
    return builder.build();
  }

  @Bean
  ReceiverConnector heraldReceiverConnector(
      Herald herald,
      ConfigurableListableBeanFactory beans,
      Environment environment,
      HeraldProperties properties) {
    return new ReceiverConnector(herald, beans, environment, properties);
  }

  @Bean
  HeraldLifecycle heraldLifecycle(
      Herald herald,
      ReceiverConnector receivers,
      HeraldProperties properties,
      ObjectProvider<ConnectionFactory> connectionFactory) {
    SchemaStep schema =
        SchemaStep.of(
            properties, herald, connectionFactory.getIfUnique(), properties.test().immediate());
    Duration grace =
        Objects.requireNonNullElse(
            properties.shutdownGrace(), HeraldOptions.DEFAULT_SHUTDOWN_GRACE);
    return new HeraldLifecycle(herald, receivers, schema, grace.plus(CLOSE_MARGIN));
  }

  /** Receivers connect, and Herald starts, under lazy initialization too. */
  @Bean
  static LazyInitializationExcludeFilter heraldLazyInitializationExcludeFilter() {
    return LazyInitializationExcludeFilter.forBeanTypes(
        ReceiverConnector.class, HeraldLifecycle.class);
  }

  /** The task store on the application's database. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty(
      name = "herald.test.immediate",
      havingValue = false,
      matchIfMissing = true)
  @ConditionalOnSingleCandidate(ConnectionFactory.class)
  static class DatabaseStore {

    @Bean
    @ConditionalOnMissingBean(Store.class)
    R2dbcTaskStore heraldTaskStore(
        ConnectionFactory connectionFactory,
        HeraldProperties properties,
        ConfigurableListableBeanFactory beans) {
      String name =
          beans.getBeansOfType(ConnectionFactory.class).entrySet().stream()
              .filter(e -> e.getValue() == connectionFactory)
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(connectionFactory.getClass().getSimpleName());
      R2dbcStores.checkTransactionManagers(
          connectionFactory, name, beans.getBeansOfType(R2dbcTransactionManager.class));
      return R2dbcStores.create(connectionFactory, properties.store());
    }
  }

  /** The immediate test mode's in-memory store, joined to Spring transactions. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBooleanProperty("herald.test.immediate")
  static class ImmediateStore {

    @Bean
    @ConditionalOnMissingBean(Store.class)
    Store heraldTaskStore() {
      return SpringTransactionStore.immediate();
    }
  }
}
