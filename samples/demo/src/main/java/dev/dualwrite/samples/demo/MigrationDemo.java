package dev.dualwrite.samples.demo;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.samples.monolith.UserView;
import dev.dualwrite.verify.VerificationReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The dualwrite demo: starts the user service and the legacy monolith (two Spring Boot applications in this JVM, on
 * free loopback ports), sends the monolith steady traffic, and walks {@code users} through
 * {@code LEGACY_ONLY -> DUAL_WRITE -> (backfill, verify) -> SHADOW_READS -> NEW_READS 10 % -> NEW_READS 100 %}, then
 * one step back and forward again (to 10 %), with a user-service outage on the way. Ends with the verification summary line;
 * exits 0 only when it shows no difference and no request failed or read stale data.
 *
 * <p>{@code --quick} runs every step, shorter (for the test suite).
 */
public final class MigrationDemo {
  /** The system property that names the log file; logback.xml reads it. */
  static final String LOG_FILE_PROPERTY = "dualwrite.demo.log";
  /** This run's log file, of its own so that two demos on one machine do not write to one file. */
  static final Path LOG_FILE = logFile();
  private static final Logger log = LoggerFactory.getLogger(MigrationDemo.class);
  private static final String USERS = "users";
  /** Spring Boot's switch for its logging system: with {@code none} it leaves logback as logback.xml set it up. */
  private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

  /** Runs the demo and exits with its outcome: 0 when both stores agree at the end. */
  public static void main(String[] args) {
    System.exit(run(Pace.fromArguments(args), System.out));
  }

  /**
   * Runs the demo, telling its story on {@code out}; the last line is the verification summary line.
   *
   * @return 0 when the final verification shows no difference and the traffic saw no failure and no stale read
   */
  static int run(Pace pace, PrintStream out) {
    Console console = new Console(out);
    // Each Spring Boot application would reset logback as it starts (the user service twice, after the outage), and
    // the traffic's threads logging in between made logback print "No appenders present in context [default]" on the
    // console. logback.xml is the demo's one logging configuration: the applications leave it alone.
    String loggingSystem = System.getProperty(LOGGING_SYSTEM);
    System.setProperty(LOGGING_SYSTEM, "none");
    // what Spring Boot's logging system would do: java.util.logging (Tomcat's) to SLF4J, so to the log file
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    try {
      return run(pace, console);
    } finally {
      if (loggingSystem == null) {
        System.clearProperty(LOGGING_SYSTEM);
      } else {
        System.setProperty(LOGGING_SYSTEM, loggingSystem);
      }
    }
  }

  private static int run(Pace pace, Console console) {
    console.line("dualwrite demo (" + pace.name() + "): users move from the legacy monolith to the user service"
        + " under live traffic; logs in " + LOG_FILE);
    VerificationReport last;
    Traffic.Counts traffic;
    String trafficProblem;
    long serviceWrites;
    long serviceWritesFailed;
    String serviceProblem;
    try (UserServiceNode userService = UserServiceNode.start()) {
      console.event("user service up at %s, with its own database", userService.mirrorUrl());
      try (MonolithNode monolith = MonolithNode.start(userService.mirrorUrl())) {
        List<UserView> seeded = monolith.seed(pace.seedUsers());
        console.event("legacy monolith up at %s: %d users (half with an order), users in %s", monolith.baseUri(),
            seeded.size(), monolith.dualWrite().phases().current(USERS));
        StoreCheck stores = new StoreCheck(monolith.dualWrite(), monolith.userRows(), console, pace);
        // every tenth user (each with an order) is left to the user service's own clients once it owns users
        List<Long> serviceUsers = new ArrayList<>();
        List<UserView> monolithUsers = new ArrayList<>();
        for (int i = 0; i < seeded.size(); i++) {
          if (i % 10 == 0) {
            serviceUsers.add(seeded.get(i).id());
          } else {
            monolithUsers.add(seeded.get(i));
          }
        }
        try (Traffic live = new Traffic(monolith.baseUri(), pace.requestPause(), monolithUsers);
            ServiceApiWrites serviceApi = new ServiceApiWrites(userService.usersApiUrl(), pace.requestPause(),
                serviceUsers)) {
          console.event("traffic: creates, updates, deletes and reads of users and orders, one request every %d ms",
              pace.requestPause().toMillis());
          migrate(pace, console, monolith, userService, live, serviceApi, stores);
          live.stop();
          serviceApi.pause();
          traffic = live.counts();
          trafficProblem = live.firstProblem();
          serviceWrites = serviceApi.writes();
          serviceWritesFailed = serviceApi.failed();
          serviceProblem = serviceApi.firstProblem();
        }
        stores.reverseSyncCaughtUp();
        last = stores.verify();
      }
    } catch (DemoFailure e) {
      console.line("demo failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      log.error("the demo failed", e);
      console.line("demo failed: " + e + " (stack trace in " + LOG_FILE + ")");
      return 1;
    }
    console.event("traffic: %d requests, %d failed; %d user reads, %d stale; %d writes through the user service's API,"
        + " %d failed", traffic.requests(), traffic.failed(), traffic.userReads(), traffic.staleReads(),
        serviceWrites, serviceWritesFailed);
    if (trafficProblem != null) {
      console.detail("first problem: " + trafficProblem);
    }
    if (serviceProblem != null) {
      console.detail("first problem of the user service's API: " + serviceProblem);
    }
    last.describe().lines().skip(1).forEach(console::detail);
    console.line(last.summary());
    return last.isClean() && traffic.failed() == 0 && traffic.staleReads() == 0 && serviceWritesFailed == 0 ? 0 : 1;
  }

  private static void migrate(Pace pace, Console console, MonolithNode monolith, UserServiceNode userService,
      Traffic traffic, ServiceApiWrites serviceApi, StoreCheck stores) {
    DualWrite dualWrite = monolith.dualWrite();
    TechLead techLead = new TechLead(dualWrite.phases(), USERS, console, pace);
    Dashboard dashboard = new Dashboard(dualWrite, monolith.userReads(), traffic, techLead, console, pace);

    dashboard.watch(pace.dwell());
    techLead.forward("start mirroring");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    stores.backfill();
    stores.drain();
    stores.verifyAndRepair();
    techLead.forward("backfilled and verified");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    // a move into NEW_READS starts from the configured canary share (none here): the tech lead sets it after the move
    techLead.forward("shadow reads agree");
    techLead.canary(10, "start with a few keys");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());
    outage(pace, console, userService, dashboard);
    dashboard.watch(pace.dwell());

    techLead.canary(100, "the canary is healthy");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    techLead.back("rollback drill: one step back");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());
    techLead.forward("forward again");
    techLead.canary(10, "start again with a few keys");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    // the second half: the user service becomes authoritative, then owns users
    techLead.canary(100, "every key again");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());
    techLead.forward("the user service becomes authoritative for users");
    serviceApi.resume();
    console.event("the user service's own API writes users now (%s), beside the monolith's writes, which go"
        + " through to it before they commit", userService.usersApiUrl());
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());
    serviceApi.pause();
    console.event("rollback drill: the user service's own clients pause; legacy must hold every change they made");
    ordersShowTheServicesUsers(console, monolith, serviceApi, stores);
    techLead.back("rollback drill: legacy authoritative again");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());
    techLead.canary(100, "every key again");
    techLead.forward("the user service is authoritative again");
    serviceApi.resume();
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    traffic.stopUserWrites();
    console.event("the monolith's last user writes moved to the user service: it only reads users and writes orders"
        + " now");
    techLead.forward("no legacy code writes users any more");
    dashboard.phaseBegins();
    dashboard.watch(pace.dwell());

    console.event("where reads went, phase by phase:");
    dashboard.finish().forEach(console::detail);
  }

  /**
   * Checks the legacy join: each order of a user the service's API renamed shows the service's name, read from
   * legacy's users table once the reverse sync has applied it.
   */
  private static void ordersShowTheServicesUsers(Console console, MonolithNode monolith, ServiceApiWrites serviceApi,
      StoreCheck stores) {
    stores.reverseSyncCaughtUp();
    int checked = 0;
    for (Map.Entry<Long, String> renamed : serviceApi.lastNames().entrySet()) {
      Long order = monolith.seededOrderOf(renamed.getKey());
      if (order == null) {
        continue;
      }
      String shown = monolith.orderUserName(order);
      if (!renamed.getValue().equals(shown)) {
        throw new DemoFailure("order " + order + " shows user " + renamed.getKey() + " as '" + shown + "', but the user"
            + " service renamed them '" + renamed.getValue() + "'");
      }
      checked++;
    }
    console.event("legacy join: %d orders of users renamed through the user service's API show the new names", checked);
  }

  /** Stops the user service for a while: writes go on, the backlog rises; it comes back and the backlog drains. */
  private static void outage(Pace pace, Console console, UserServiceNode userService, Dashboard dashboard) {
    console.event("user service stops for %d s: the monolith keeps taking writes, changes wait in the outbox",
        pace.outage().toSeconds());
    userService.stop();
    dashboard.watch(pace.outage());
    userService.startAgain();
    long peak = dashboard.backlog();
    console.event("user service is back at %s with a backlog of %d changes", userService.mirrorUrl(), peak);
    long start = System.nanoTime();
    long deadline = start + pace.patience().toNanos();
    while (dashboard.backlog() > 0) {
      if (System.nanoTime() > deadline) {
        throw new DemoFailure("the backlog did not drain within " + pace.patience().toSeconds() + " s");
      }
      Pace.sleep(Duration.ofMillis(100));
    }
    console.event("backlog drained: %d -> 0 in %.1f s, %d dead letters", peak,
        (System.nanoTime() - start) / 1e9, dashboard.deadLetters());
  }

  /**
   * {@code dualwrite-demo-<time>-<pid>.log} in the temporary directory, named in {@link #LOG_FILE_PROPERTY} before
   * logback starts (this class's logger is created after it), unless the property names a file already.
   */
  private static Path logFile() {
    String configured = System.getProperty(LOG_FILE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).format(LocalDateTime.now());
    Path file = Path.of(System.getProperty("java.io.tmpdir"),
        "dualwrite-demo-" + time + "-" + ProcessHandle.current().pid() + ".log");
    System.setProperty(LOG_FILE_PROPERTY, file.toString());
    return file;
  }

  private MigrationDemo() {}
}
