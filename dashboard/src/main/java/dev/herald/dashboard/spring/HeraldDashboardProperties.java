package dev.herald.dashboard.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code herald.dashboard.*}: whether and where the dashboard is served, and whether it may change
 * anything. Everything is off by default: the dashboard needs {@code enabled=true}, and actions
 * need {@code actions-enabled=true} plus either Spring Security on the classpath or {@code
 * protected-elsewhere=true}.
 */
@ConfigurationProperties("herald.dashboard")
public class HeraldDashboardProperties {

  /** Whether to serve the dashboard. Off by default. */
  private boolean enabled;

  /** Where the dashboard is served; {@code /herald} by default. */
  private String path = "/herald";

  /** Whether operators may requeue and purge dead letters. Off by default (read-only). */
  private boolean actionsEnabled;

  /**
   * Acknowledges that the dashboard's path is protected outside this application (a gateway, a
   * private network), so that actions may be enabled without Spring Security. Off by default.
   */
  private boolean protectedElsewhere;

  /** How often the page refreshes itself; 2 seconds by default. */
  private Duration refreshInterval = Duration.ofSeconds(2);

  /** Dead letters per page, 1 to 500; 50 by default. */
  private int pageSize = 50;

  /**
   * @return whether to serve the dashboard
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled whether to serve the dashboard
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * @return where the dashboard is served
   */
  public String getPath() {
    return path;
  }

  /**
   * @param path where the dashboard is served, starting with {@code /}
   */
  public void setPath(String path) {
    this.path = path;
  }

  /**
   * @return whether requeue and purge are enabled
   */
  public boolean isActionsEnabled() {
    return actionsEnabled;
  }

  /**
   * @param actionsEnabled whether requeue and purge are enabled
   */
  public void setActionsEnabled(boolean actionsEnabled) {
    this.actionsEnabled = actionsEnabled;
  }

  /**
   * @return whether the path is protected outside the application
   */
  public boolean isProtectedElsewhere() {
    return protectedElsewhere;
  }

  /**
   * @param protectedElsewhere whether the path is protected outside the application
   */
  public void setProtectedElsewhere(boolean protectedElsewhere) {
    this.protectedElsewhere = protectedElsewhere;
  }

  /**
   * @return how often the page refreshes itself
   */
  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  /**
   * @param refreshInterval how often the page refreshes itself, at least 500 ms
   */
  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }

  /**
   * @return dead letters per page
   */
  public int getPageSize() {
    return pageSize;
  }

  /**
   * @param pageSize dead letters per page, 1 to 500
   */
  public void setPageSize(int pageSize) {
    this.pageSize = pageSize;
  }
}
