package dev.herald.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A NATS server with JetStream of a test's own (the {@code nats-server} that {@code .ci/brokers}
 * runs), on a free port and a store directory of its own, so that a test can stop it and start it
 * again on the same port without touching the shared server on 4222.
 */
final class NatsTestServer implements AutoCloseable {

  private final Path binary;
  private final Path store;
  private final int port;
  private Process process;

  private NatsTestServer(Path binary, Path store, int port) {
    this.binary = binary;
    this.store = store;
    this.port = port;
  }

  /** Starts a server; fails, saying why, if there is no {@code nats-server} on this machine. */
  static NatsTestServer start() throws IOException {
    Path binary =
        List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")
            .stream()
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no nats-server on this machine (.ci/brokers uses the same binary)"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    NatsTestServer server =
        new NatsTestServer(binary, Files.createTempDirectory("herald-nats-"), port);
    server.startAgain();
    return server;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** Starts the server (again) on its port and store, once it accepts connections. */
  void startAgain() throws IOException {
    process =
        new ProcessBuilder(
                binary.toString(),
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-js",
                "-sd",
                store.toString())
            .redirectErrorStream(true)
            .redirectOutput(store.resolve("server.log").toFile())
            .start();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(this::accepts);
  }

  /** Stops the server (SIGTERM) and waits until it is gone. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
