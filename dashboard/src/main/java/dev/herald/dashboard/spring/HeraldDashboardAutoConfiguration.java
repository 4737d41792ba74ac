package dev.herald.dashboard.spring;

import dev.herald.Herald;
import dev.herald.dashboard.Dashboard;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves Herald's {@link Dashboard} in a WebFlux application under {@code herald.dashboard.path}
 * when {@code herald.dashboard.enabled=true} and a {@link Herald} bean exists.
 *
 * <p>Safe by default: read-only unless {@code herald.dashboard.actions-enabled=true}; and then the
 * application fails to start unless Spring Security is on the classpath (whose rules then apply to
 * the path, like to any other) or {@code herald.dashboard.protected-elsewhere=true} says that the
 * path is protected outside the application. With Spring Security, its CSRF token is added to the
 * dashboard's forms, besides the dashboard's own.
 */
@AutoConfiguration(afterName = "dev.herald.spring.HeraldAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnProperty(prefix = "herald.dashboard", name = "enabled", havingValue = "true")
@ConditionalOnBean(Herald.class)
@EnableConfigurationProperties(HeraldDashboardProperties.class)
public class HeraldDashboardAutoConfiguration {

  static final String SPRING_SECURITY =
      "org.springframework.security.web.server.SecurityWebFilterChain";

  /** Creates the auto-configuration; Spring calls it. */
  public HeraldDashboardAutoConfiguration() {}

  @Bean(destroyMethod = "close")
  Dashboard heraldDashboard(
      Herald herald, HeraldDashboardProperties properties, ResourceLoader resourceLoader) {
    checkProtected(
        properties, ClassUtils.isPresent(SPRING_SECURITY, resourceLoader.getClassLoader()));
    return Dashboard.builder(herald)
        .actionsEnabled(properties.isActionsEnabled())
        .refreshInterval(properties.getRefreshInterval())
        .pageSize(properties.getPageSize())
        .build();
  }

  @Bean
  RouterFunction<ServerResponse> heraldDashboardRoutes(
      Dashboard dashboard, HeraldDashboardProperties properties) {
    String base = basePath(properties.getPath());
    DashboardHandler handler = new DashboardHandler(dashboard, base);
    return RouterFunctions.route(
        RequestPredicates.path(base).or(RequestPredicates.path(base + "/**")), handler);
  }

  static void checkProtected(HeraldDashboardProperties p, boolean springSecurity) {
    if (p.isActionsEnabled() && !springSecurity && !p.isProtectedElsewhere()) {
      throw new IllegalStateException(
          "herald.dashboard.actions-enabled=true lets anyone who reaches "
              + p.getPath()
              + " requeue and purge dead letters, and Spring Security is not on the classpath."
              + " Protect the path with Spring Security, or set"
              + " herald.dashboard.protected-elsewhere=true if a gateway or network protects it,"
              + " or set herald.dashboard.actions-enabled=false.");
    }
  }

  static String basePath(String path) {
    if (path == null || !path.startsWith("/") || path.equals("/") || path.contains("*")) {
      throw new IllegalStateException(
          "herald.dashboard.path must start with / and name a path below the root, but was "
              + path);
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
