package dev.herald.examples.orders;

import dev.herald.Herald;
import dev.herald.examples.domain.DeliveryJournal;
import dev.herald.examples.domain.DemoScenario;
import dev.herald.examples.domain.ScenarioAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Plays the shared {@link DemoScenario} in the background once the application is ready, and prints
 * its account. Disable it with {@code herald.demo.scenario=false}.
 */
@Component
@ConditionalOnProperty(name = "herald.demo.scenario", havingValue = "true", matchIfMissing = true)
class StartupScenario {

  private static final Logger log = LoggerFactory.getLogger(StartupScenario.class);

  private final DemoScenario scenario;
  private final Sinks.One<ScenarioAccount> account = Sinks.one();

  StartupScenario(PaymentService payments, Herald herald, DeliveryJournal journal) {
    this.scenario = new DemoScenario(payments, herald, journal);
  }

  /**
   * Plays the scenario in the background and prints its account.
   *
   * @param event the application's readiness
   */
  @EventListener
  public void onReady(ApplicationReadyEvent event) {
    int port =
        event
            .getApplicationContext()
            .getEnvironment()
            .getProperty("local.server.port", Integer.class, 8080);
    scenario
        .play()
        // Printing blocks: not on a reactive thread.
        .publishOn(Schedulers.boundedElastic())
        .doOnNext(a -> System.out.print(a.render(port)))
        .subscribe(
            account::tryEmitValue,
            e -> {
              log.error("The demo scenario failed", e);
              account.tryEmitError(e);
            });
  }

  /**
   * The account, once the scenario has finished.
   *
   * @return the account (replayed to every subscriber)
   */
  Mono<ScenarioAccount> account() {
    return account.asMono();
  }
}
