package dev.dualwrite.samples.demo;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.samples.monolith.LegacyMonolithApplication;
import dev.dualwrite.samples.monolith.Order;
import dev.dualwrite.samples.monolith.OrderRepository;
import dev.dualwrite.samples.monolith.OrderView;
import dev.dualwrite.samples.monolith.User;
import dev.dualwrite.samples.monolith.UserRepository;
import dev.dualwrite.samples.monolith.UserView;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * The sample legacy monolith, run in this JVM on a free loopback port, configured by its own
 * {@code application.properties} with a few demo settings on top.
 */
final class MonolithNode implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final URI baseUri;
  private final Map<Long, Long> seededOrders = new HashMap<>();

  private MonolithNode(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUri = URI.create("http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /** Starts the monolith, mirroring to the user service at {@code mirrorUrl}. */
  static MonolithNode start(String mirrorUrl) {
    return new MonolithNode(new SpringApplicationBuilder(LegacyMonolithApplication.class).run(
        "--spring.main.banner-mode=off",
        "--spring.main.log-startup-info=false",
        "--server.address=127.0.0.1",
        "--server.port=0",
        "--spring.datasource.url=jdbc:h2:mem:demo-monolith-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "--dualwrite.target.url=" + mirrorUrl,
        // deliveries resume within a second of the user service coming back, and survive a long outage
        "--dualwrite.relay.poll-interval=100ms",
        "--dualwrite.entities.users.retry.max-delay=1s",
        "--dualwrite.entities.users.retry.max-attempts=300",
        // every read compared in the comparing phases: the mismatch-rate gate has its sample in seconds
        "--dualwrite.entities.users.shadow-sample-rate=1",
        // a demo's soak in NEW_WRITES before NEW_ONLY is seconds, not the default day
        "--dualwrite.gates.min-new-writes-soak=3s",
        // legacy keeps a copy of users in NEW_ONLY, for the orders' join and the final verification
        "--dualwrite.entities.users.reverse-sync-in-new-only=true"));
  }

  /** Where its REST API is, e.g. {@code http://127.0.0.1:41234}. */
  URI baseUri() {
    return baseUri;
  }

  DualWrite dualWrite() {
    return context.getBean(DualWrite.class);
  }

  ReadRouter userReads() {
    return context.getBean(ReadRouter.class);
  }

  LegacySource userRows() {
    return context.getBean(LegacySource.class);
  }

  /**
   * Fills the monolith's database as it is before the migration: {@code count} users, every other one with an
   * order. Goes straight to the repositories, in one transaction each.
   *
   * @return the users created
   */
  List<UserView> seed(int count) {
    List<User> users = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      users.add(new User("user " + i, "user" + i + "@example.com"));
    }
    List<User> saved = context.getBean(UserRepository.class).saveAll(users);
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < saved.size(); i += 2) {
      orders.add(new Order(saved.get(i), "welcome pack", 1000 + i));
    }
    for (Order order : context.getBean(OrderRepository.class).saveAll(orders)) {
      seededOrders.put(order.getUser().getId(), order.getId());
    }
    return saved.stream().map(user -> new UserView(user.getId(), user.getName(), user.getEmail())).toList();
  }

  /** The order {@link #seed} gave user {@code userId}, or null. */
  Long seededOrderOf(long userId) {
    return seededOrders.get(userId);
  }

  /** The user name the monolith's {@code GET /orders/{id}} shows: read through the legacy join. */
  String orderUserName(long orderId) {
    return RestClient.create(baseUri.toString()).get().uri("/orders/{id}", orderId).retrieve()
        .body(OrderView.class).userName();
  }

  @Override
  public void close() {
    context.close();
  }
}
