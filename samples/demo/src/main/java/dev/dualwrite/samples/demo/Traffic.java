package dev.dualwrite.samples.demo;

import dev.dualwrite.samples.monolith.OrderForm;
import dev.dualwrite.samples.monolith.OrderView;
import dev.dualwrite.samples.monolith.UserForm;
import dev.dualwrite.samples.monolith.UserView;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Steady traffic on the monolith's REST API, as its clients would send it, from one background thread: creates,
 * updates, deletes and reads of users and orders. It remembers what it last wrote to each user, so it can tell a
 * stale read (an answer that is not the last write) from a good one.
 */
final class Traffic implements AutoCloseable {
  /** What the traffic saw so far. */
  record Counts(long requests, long failed, long userReads, long staleReads) {}

  private final RestClient http;
  private final Duration pause;
  private final Random random = new Random(7);
  private final List<Long> userIds = new ArrayList<>();
  private final Map<Long, UserView> lastWritten = new HashMap<>();
  private final Map<Long, Long> orderOwners = new HashMap<>();
  private final List<Long> orderIds = new ArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong userReads = new AtomicLong();
  private final AtomicLong staleReads = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean userWrites = true;
  private int created;

  /**
   * Traffic on the monolith at {@code monolith}, which holds {@code users} already. Started at once.
   *
   * @param pause the pause between two requests
   */
  Traffic(URI monolith, Duration pause, List<UserView> users) {
    JdkClientHttpRequestFactory client = new JdkClientHttpRequestFactory();
    client.setReadTimeout(Duration.ofSeconds(10));
    this.http = RestClient.builder().baseUrl(monolith.toString()).requestFactory(client).build();
    this.pause = pause;
    for (UserView user : users) {
      userIds.add(user.id());
      lastWritten.put(user.id(), user);
    }
    this.thread = new Thread(this::run, "demo-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  Counts counts() {
    return new Counts(requests.get(), failed.get(), userReads.get(), staleReads.get());
  }

  /** The first failed request or stale read, described; null when there was none. */
  String firstProblem() {
    return firstProblem.get();
  }

  /**
   * From now on writes no user through the monolith (its code for that has moved to the user service): user writes
   * become user reads; orders are still written.
   */
  void stopUserWrites() {
    userWrites = false;
  }

  /** Stops sending and waits for the request in flight. Stopping again does nothing. */
  void stop() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void run() {
    while (running) {
      try {
        oneRequest(random.nextInt(100));
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        firstProblem.compareAndSet(null, "request failed: " + e);
      }
      requests.incrementAndGet();
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void oneRequest(int dice) {
    if (!userWrites && dice < 80) {
      readUser();
    } else if (userIds.isEmpty() || dice < 15) {
      createUser();
    } else if (dice < 55) {
      readUser();
    } else if (dice < 75) {
      updateUser();
    } else if (dice < 80) {
      deleteUser();
    } else if (dice < 88 || orderIds.isEmpty()) {
      placeOrder();
    } else if (dice < 93) {
      http.get().uri("/orders/{id}", pick(orderIds)).retrieve().body(OrderView.class);
    } else if (dice < 97) {
      http.put().uri("/orders/{id}", pick(orderIds)).contentType(MediaType.APPLICATION_JSON)
          .body(new OrderForm(null, "gift box", 100 + random.nextInt(10_000))).retrieve().toBodilessEntity();
    } else {
      Long order = pick(orderIds);
      http.delete().uri("/orders/{id}", order).retrieve().toBodilessEntity();
      forgetOrder(order);
    }
  }

  private void createUser() {
    int n = ++created;
    UserView user = http.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
        .body(new UserForm("new user " + n, "new" + n + "@example.com")).retrieve().body(UserView.class);
    userIds.add(user.id());
    lastWritten.put(user.id(), user);
  }

  private void readUser() {
    Long id = pick(userIds);
    userReads.incrementAndGet();
    UserView read;
    try {
      read = http.get().uri("/users/{id}", id).retrieve().body(UserView.class);
    } catch (HttpClientErrorException.NotFound e) {
      read = null;
    }
    if (read == null || !read.equals(lastWritten.get(id))) {
      staleReads.incrementAndGet();
      firstProblem.compareAndSet(null, "stale read of user " + id + ": " + read + ", last written "
          + lastWritten.get(id));
    }
  }

  private void updateUser() {
    Long id = pick(userIds);
    int change = random.nextInt(1_000_000);
    UserView user = http.put().uri("/users/{id}", id).contentType(MediaType.APPLICATION_JSON)
        .body(new UserForm("user " + id + " (" + change + ")", "user" + id + "." + change + "@example.com"))
        .retrieve().body(UserView.class);
    lastWritten.put(id, user);
  }

  private void deleteUser() {
    Long id = pick(userIds);
    http.delete().uri("/users/{id}", id).retrieve().toBodilessEntity();
    userIds.remove(id);
    lastWritten.remove(id);
    orderOwners.entrySet().removeIf(order -> order.getValue().equals(id));
    orderIds.retainAll(orderOwners.keySet());
  }

  private void placeOrder() {
    Long user = pick(userIds);
    OrderView order = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
        .body(new OrderForm(user, "book", 500 + random.nextInt(5000))).retrieve().body(OrderView.class);
    orderIds.add(order.id());
    orderOwners.put(order.id(), user);
  }

  private void forgetOrder(Long order) {
    orderIds.remove(order);
    orderOwners.remove(order);
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
