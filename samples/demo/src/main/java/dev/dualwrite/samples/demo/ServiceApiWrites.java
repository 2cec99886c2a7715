package dev.dualwrite.samples.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The user service's own clients, once it is authoritative for users: from one background thread they rename users
 * and sign new ones up through the service's own API ({@code /api/users}), not through the monolith. They write the
 * users set aside for them (the monolith's traffic writes the others), and give the users they create ids of their own
 * range, away from the ids the monolith's database generates. Paused while the service is not authoritative.
 */
final class ServiceApiWrites implements AutoCloseable {
  /** The first id of the users the service's own API creates. */
  static final long OWN_IDS = 1_000_000;

  private final RestClient http;
  private final Duration pause;
  private final List<Long> users;
  private final Random random = new Random(11);
  private final Map<Long, String> lastNames = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean writing;
  private volatile boolean running = true;
  private long created;

  /** Writes through the service's API at {@code usersApi}, to {@code users}; starts paused. */
  ServiceApiWrites(String usersApi, Duration pause, List<Long> users) {
    JdkClientHttpRequestFactory client = new JdkClientHttpRequestFactory();
    client.setReadTimeout(Duration.ofSeconds(10));
    this.http = RestClient.builder().baseUrl(usersApi).requestFactory(client).build();
    this.pause = pause;
    this.users = List.copyOf(users);
    this.thread = new Thread(this::run, "demo-service-api");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts or resumes writing. */
  void resume() {
    writing = true;
  }

  /** Stops writing after the write in flight, which has ended when this returns. */
  void pause() {
    writing = false;
    synchronized (this) {
      // the write in flight holds the lock
    }
  }

  long writes() {
    return writes.get();
  }

  long failed() {
    return failed.get();
  }

  String firstProblem() {
    return firstProblem.get();
  }

  /** The name each user the API renamed or created has now, by id. */
  Map<Long, String> lastNames() {
    return new LinkedHashMap<>(lastNames);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (running) {
      synchronized (this) {
        if (writing) {
          try {
            if (random.nextInt(10) == 0) {
              create();
            } else {
              rename(users.get(random.nextInt(users.size())));
            }
            writes.incrementAndGet();
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            firstProblem.compareAndSet(null, "user service API write failed: " + e);
          }
        }
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Renames a user: reads it from the service's API, changes its name, writes it back whole. */
  private void rename(long id) {
    JsonNode held = http.get().uri("/{id}", id).retrieve().body(JsonNode.class);
    ObjectNode user = (ObjectNode) held.path("user");
    String name = "renamed by the user service " + random.nextInt(1_000_000);
    user.put("name", name);
    http.put().uri("/{id}", id).contentType(MediaType.APPLICATION_JSON).body(user).retrieve().toBodilessEntity();
    lastNames.put(id, name);
  }

  /** Signs a user up through the service's API, with an id of the service's own range. */
  private void create() {
    long id = OWN_IDS + ++created;
    JsonNode template = http.get().uri("/{id}", users.get(0)).retrieve().body(JsonNode.class).path("user");
    ObjectNode user = ((ObjectNode) template).deepCopy();
    String name = "signed up at the user service " + created;
    user.put("id", id).put("name", name).put("email", "service" + created + "@example.com").put("version", 0);
    http.put().uri("/{id}", id).contentType(MediaType.APPLICATION_JSON).body(user).retrieve().toBodilessEntity();
    lastNames.put(id, name);
  }
}
