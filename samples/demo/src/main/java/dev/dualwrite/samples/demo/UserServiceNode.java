package dev.dualwrite.samples.demo;

import dev.dualwrite.samples.userservice.UserServiceApplication;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample user service, run in this JVM on a loopback port that stays the same when it is stopped and started
 * again. Its in-memory database outlives a stop, as a real service's database outlives the service.
 */
final class UserServiceNode implements AutoCloseable {
  /**
   * The demo's classpath also holds the monolith, with JPA and dualwrite's starter: keep both out of the user service,
   * which has neither of its own.
   */
  private static final String[] NOT_THE_MONOLITHS = {
      "--dualwrite.enabled=false",
      "--spring.autoconfigure.exclude="
          + "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
          + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"};

  private final String databaseUrl = "jdbc:h2:mem:demo-user-service-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private int port;
  private ConfigurableApplicationContext running;

  /** Starts the service on a free loopback port. */
  static UserServiceNode start() {
    UserServiceNode node = new UserServiceNode();
    node.startAgain();
    return node;
  }

  private UserServiceNode() {}

  /** Starts the service again, on the port it had. */
  void startAgain() {
    if (running != null) {
      throw new IllegalStateException("the user service is running already");
    }
    String[] args = {
        "--spring.main.banner-mode=off",
        "--spring.main.log-startup-info=false",
        "--server.address=127.0.0.1",
        "--server.port=" + port,
        "--spring.datasource.url=" + databaseUrl};
    String[] all = new String[args.length + NOT_THE_MONOLITHS.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(NOT_THE_MONOLITHS, 0, all, args.length, NOT_THE_MONOLITHS.length);
    running = UserServiceApplication.application().run(all);
    port = Integer.parseInt(running.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /** Stops the service: its port refuses connections until {@link #startAgain()}. */
  void stop() {
    running.close();
    running = null;
  }

  /** The base URL of the service's own API for users, e.g. {@code http://127.0.0.1:8081/api/users}. */
  String usersApiUrl() {
    return "http://127.0.0.1:" + port + "/api/users";
  }

  /** The mirror-protocol base URL the monolith delivers to. */
  String mirrorUrl() {
    return "http://127.0.0.1:" + port + "/mirror";
  }

  @Override
  public void close() {
    if (running != null) {
      stop();
    }
  }
}
