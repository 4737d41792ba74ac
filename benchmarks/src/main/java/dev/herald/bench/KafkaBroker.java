package dev.herald.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process KRaft Kafka broker (Kafka's own {@link KafkaClusterTestKit}, one combined broker
 * and controller, as relay's tests run it) in a JVM of its own, started by the relay phase of the
 * suite: a separate process, like RabbitMQ's and NATS's, so that its CPU time is measured apart
 * from the relaying JVM's. It prints {@code BOOTSTRAP host:port} when ready and stops when its
 * standard input closes (the suite closes it, or dies).
 */
final class KafkaBroker implements AutoCloseable {

  private static final String READY = "BOOTSTRAP ";

  private final Process process;
  private final String bootstrap;

  private KafkaBroker(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  /**
   * Entry point of the broker's JVM.
   *
   * @param args none
   * @throws Exception if the broker cannot start
   */
  public static void main(String[] args) throws Exception {
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    System.out.println(READY + cluster.bootstrapServers());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // until the suite closes our standard input
    }
    cluster.close();
    System.exit(0);
  }

  /**
   * Starts the broker's JVM and waits until it is ready (at most 2 minutes).
   *
   * @param log where its output goes
   * @return the running broker
   * @throws IOException if it cannot start or is not ready in time
   */
  static KafkaBroker start(Path log) throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx1g",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp",
                    System.getProperty("java.class.path"),
                    KafkaBroker.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.startsWith(READY)) {
            return new KafkaBroker(p, line.substring(READY.length()).trim());
          }
        }
      }
      if (!p.isAlive()) {
        throw new IOException("the Kafka broker exited with " + p.exitValue() + "; see " + log);
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new IOException("the Kafka broker was not ready within 2 minutes; see " + log);
  }

  String bootstrap() {
    return bootstrap;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
