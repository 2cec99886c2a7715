package dev.dualwrite.benchmarks;

import dev.dualwrite.test.service.ReferenceMirrorService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The reference mirror service in a JVM of its own, so that a benchmark's heap figure is dualwrite's alone. The child
 * prints {@code port <n>} once it listens and stops when its standard input closes.
 */
final class ServiceProcess implements AutoCloseable {
  private final Process process;
  final String baseUrl;

  private ServiceProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** Starts the service in a child JVM with the benchmark's classpath. */
  static ServiceProcess start() {
    String java = ProcessHandle.current().info().command().orElse("java");
    try {
      Process process = new ProcessBuilder(java, "-Xmx3g", "-cp", System.getProperty("java.class.path"),
          ServiceProcess.class.getName())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("port ")) {
        // skip anything else the child prints
      }
      if (line == null) {
        throw new IllegalStateException("the mirror service process ended before listening");
      }
      return new ServiceProcess(process, "http://127.0.0.1:" + line.substring(5).trim() + "/mirror");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the mirror service process", e);
    }
  }

  /** The child's entry point. */
  public static void main(String[] args) throws IOException {
    try (ReferenceMirrorService service = ReferenceMirrorService.start()) {
      System.out.println("port " + service.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the child is gone already
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
