package dev.herald.it.chaos;

import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import io.r2dbc.pool.ConnectionPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Scenario 1: dispatcher processes killed with SIGKILL at random moments, and restarted. */
class KillNineChaosIT {

  private static final int KILLS = 10;

  @Test
  void killedDispatchersLoseNothingAndDeliverNothingRolledBack() throws Exception {
    Chaos chaos = new Chaos(TestDatabase.endpoint());
    ConnectionPool pool =
        R2dbcConnections.pool(chaos.db, "herald-chaos-producer", 8, Duration.ofSeconds(10));
    Node sender = new Node(pool, chaos.table, "producer", n -> Mono.empty());
    List<Process> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        nodes.add(spawn(chaos, "node-" + i + "-0"));
      }
      var production = Chaos.produce(sender, chaos.table, 150, Duration.ofSeconds(25)).toFuture();
      for (int kill = 1; kill <= KILLS; kill++) {
        // A random moment while the producer keeps committing; then SIGKILL and a restart.
        Mono.delay(Duration.ofMillis(800 + ThreadLocalRandom.current().nextInt(1500))).block();
        int victim = ThreadLocalRandom.current().nextInt(nodes.size());
        nodes.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        nodes.set(victim, spawn(chaos, "node-" + victim + "-" + kill));
      }
      Chaos.Counts counts = production.get(2, TimeUnit.MINUTES);
      chaos.awaitDrained(Duration.ofMinutes(2));
      for (Process p : nodes) {
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
      }
      chaos.conclude("1. kill -9 x" + KILLS, counts, "duplicates = tasks in flight at a kill");
    } finally {
      nodes.forEach(Process::destroyForcibly);
      pool.dispose();
      chaos.drop();
    }
  }

  private static Process spawn(Chaos chaos, String name) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            ChaosNodeMain.class.getName(),
            chaos.db.host(),
            Integer.toString(chaos.db.port()),
            chaos.db.database(),
            chaos.db.user(),
            chaos.db.password(),
            chaos.table,
            name);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY")) {
      // startup logging
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // keep the pipe flowing
                }
              } catch (IOException ignored) {
                // process gone
              }
            });
    drain.setDaemon(true);
    drain.start();
    return p;
  }
}
