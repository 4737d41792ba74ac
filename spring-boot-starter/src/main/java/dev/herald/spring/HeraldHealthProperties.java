package dev.herald.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Limits of Herald's health indicator, under {@code herald.health}. The indicator is always DOWN
 * when the task store does not answer within {@code timeout} or, for a node that listens, while its
 * {@code LISTEN} connection is lost; each limit below adds a reason to be DOWN and is off unless
 * set. Keep the indicator out of liveness probes: a backlog is not cured by a restart.
 *
 * @param timeout Longest time the health check's store query may take. Defaults to 5s.
 * @param maxOldestReady DOWN when a receiver's oldest ready task has been due longer than this. Off
 *     when unset.
 * @param maxDead DOWN when more tasks than this are dead-lettered, across receivers. Off when
 *     unset.
 * @param downWhenBreakerOpen DOWN while a receiver's circuit breaker on this node is open. Defaults
 *     to false.
 */
@ConfigurationProperties("herald.health")
public record HeraldHealthProperties(
    @DefaultValue("5s") Duration timeout,
    Duration maxOldestReady,
    Long maxDead,
    @DefaultValue("false") boolean downWhenBreakerOpen)
    implements Validator {

  /** Only this type. */
  @Override
  public boolean supports(Class<?> type) {
    return HeraldHealthProperties.class == type;
  }

  /** Rejects a limit under its dashed property path, which Spring Boot reports in full. */
  @Override
  public void validate(Object target, Errors errors) {
    HeraldHealthProperties p = (HeraldHealthProperties) target;
    Problems problems = Problems.of(errors, "");
    if (p.timeout().isZero() || p.timeout().isNegative()) {
      problems.reject("timeout", "must be positive, but was " + p.timeout());
    }
    if (p.maxOldestReady() != null && p.maxOldestReady().isNegative()) {
      problems.reject("max-oldest-ready", "must not be negative, but was " + p.maxOldestReady());
    }
    if (p.maxDead() != null && p.maxDead() < 0) {
      problems.reject("max-dead", "must not be negative, but was " + p.maxDead());
    }
  }
}
