package dev.herald.it.chaos;

import dev.herald.fixtures.R2dbcConnections;
import dev.herald.fixtures.TestDatabase;
import io.r2dbc.pool.ConnectionPool;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;

/**
 * A dispatcher process for the kill -9 scenario: runs until killed. SIGTERM closes it gracefully;
 * SIGKILL leaves its leases to expire.
 */
public final class ChaosNodeMain {

  private ChaosNodeMain() {}

  /**
   * Entry point.
   *
   * @param args host port database user password table nodeName
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(String[] args) throws InterruptedException {
    TestDatabase.Endpoint db =
        new TestDatabase.Endpoint(args[0], Integer.parseInt(args[1]), args[2], args[3], args[4]);
    ConnectionPool pool = R2dbcConnections.pool(db, Chaos.APP, 8, Duration.ofSeconds(10));
    Node node = new Node(pool, args[5], args[6], n -> Mono.empty()).start();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> node.herald.close().block(Duration.ofSeconds(10))));
    System.out.println("READY " + args[6]);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
