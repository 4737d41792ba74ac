package dev.herald.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link HeraldStartupException} as Spring Boot's "APPLICATION FAILED TO START" page: its
 * description, and the action that says what to change. Registered in {@code
 * META-INF/spring.factories}.
 */
final class HeraldFailureAnalyzer extends AbstractFailureAnalyzer<HeraldStartupException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, HeraldStartupException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
