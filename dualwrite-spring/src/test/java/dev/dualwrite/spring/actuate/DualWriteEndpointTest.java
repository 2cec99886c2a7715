package dev.dualwrite.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.read.ReadMismatchException;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.H2Node;
import dev.dualwrite.spring.actuate.DualWriteEndpoint.EntityStatus;
import dev.dualwrite.spring.actuate.DualWriteEndpointException.Refusal;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/** The endpoint's operations, and how its web extension answers refusals. */
class DualWriteEndpointTest {
  private final H2Node node = new H2Node();
  private final DualWriteEndpoint readOnly = endpoint(List.of(), false);
  private final DualWriteEndpoint writable = endpoint(List.of(), true);

  private DualWriteEndpoint endpoint(List<ReadRouter> routers, boolean writable) {
    return new DualWriteEndpoint(node.dualWrite(), routers, writable, entity -> {
      throw new IllegalStateException("no legacy rows of '" + entity + "' in this test");
    }, null, Duration.ofMinutes(1));
  }

  @AfterEach
  void close() {
    readOnly.close();
    writable.close();
    node.close();
  }

  @Test
  void reportsEveryEntityInConfigurationOrder() throws Exception {
    node.commitUpsert("orders", "7");
    DualWriteEndpoint.Report report = readOnly.report();
    assertThat(report.writeOperationsEnabled()).isFalse();
    assertThat(report.entities()).extracting(EntityStatus::name).containsExactly("users", "orders");
    EntityStatus users = report.entities().get(0);
    assertThat(users.phase()).isEqualTo(MigrationPhase.LEGACY_ONLY);
    assertThat(users.allowedMoves()).containsExactly(MigrationPhase.DUAL_WRITE);
    assertThat(users.canaryPercent()).as("configured").isEqualTo(5);
    assertThat(users.revision()).isZero();
    assertThat(users.changedAt()).as("never moved").isNull();
    assertThat(users.history()).as("no history in the overview").isNull();
    EntityStatus orders = report.entities().get(1);
    assertThat(orders.resource()).isEqualTo("purchase-orders");
    assertThat(orders.backlog()).isEqualTo(1);
    assertThat(orders.appended()).isEqualTo(1);
    assertThat(orders.oldestUndeliveredAgeMillis()).isNotNegative();
    assertThat(orders.oldestDeadLetters()).isEmpty();
    assertThat(orders.reads()).as("no read router").isNull();
  }

  @Test
  void showsTheReadRoutersCountersAndMismatchRate() {
    node.dualWrite().phases().forceMove("users", MigrationPhase.SHADOW_READS, "lead", "test");
    try (ReadRouter users = ReadRouter.builder(node.dualWrite(), "users").withTestMode(true).build()) {
      users.read("1", () -> Map.of("name", "Ada"), () -> Map.of("name", "Ada"));
      assertThatThrownBy(() -> users.read("2", () -> Map.of("name", "Bob"), () -> Map.of("name", "Rob")))
          .isInstanceOf(ReadMismatchException.class);
      DualWriteEndpoint endpoint = endpoint(List.of(users), false);
      DualWriteEndpoint.Reads reads = endpoint.entity("users").reads();
      assertThat(reads.servedByLegacy()).isEqualTo(2);
      assertThat(reads.servedByNew()).isZero();
      assertThat(reads.compared()).isEqualTo(2);
      assertThat(reads.mismatched()).isEqualTo(1);
      assertThat(reads.mismatchRate()).isEqualTo(0.5);
      assertThat(endpoint.entity("orders").reads()).isNull();
    }
  }

  @Test
  void oneEntityComesWithItsHistoryAndAnUnknownOneIsNotFound() {
    node.dualWrite().phases().move("users", MigrationPhase.DUAL_WRITE, "lead", "start");
    EntityStatus users = readOnly.entity("users");
    assertThat(users.phase()).isEqualTo(MigrationPhase.DUAL_WRITE);
    assertThat(users.changedAt()).isNotNull();
    assertThat(users.history()).singleElement().satisfies(move -> assertThat(move.actor()).isEqualTo("lead"));
    assertRefused(() -> readOnly.entity("payments"), Refusal.NOT_FOUND,
        "unknown entity 'payments'; configured entities are [orders, users]");
  }

  @Test
  void writeOperationsAreRefusedUntilSwitchedOn() {
    assertThatThrownBy(() -> readOnly.move("users", "DUAL_WRITE", null, null, null, SecurityContext.NONE))
        .isInstanceOfSatisfying(DualWriteEndpointException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.WRITES_DISABLED))
        .hasMessageContaining("dualwrite.endpoint.write-operations-enabled=true");
    assertThatThrownBy(() -> readOnly.operation("users", DualWriteEndpoint.DEAD_LETTERS, null, null, null, null, null, null, SecurityContext.NONE))
        .isInstanceOfSatisfying(DualWriteEndpointException.class,
            e -> assertThat(e.refusal()).isEqualTo(Refusal.WRITES_DISABLED));
    assertThat(node.dualWrite().phases().current("users")).isEqualTo(MigrationPhase.LEGACY_ONLY);
  }

  @Test
  void movesRecordTheAuthenticatedPrincipalOrTheEndpoint() {
    DualWriteEndpoint.MoveResult byLead = writable.move("users", "dual-write", "start", null, null, as("lead@example.com"));
    assertThat(byLead.move().actor()).isEqualTo("lead@example.com");
    assertThat(byLead.move().to()).isEqualTo(MigrationPhase.DUAL_WRITE);

    DualWriteEndpoint.MoveResult anonymous = writable.move("users", "LEGACY_ONLY", null, false, null, SecurityContext.NONE);
    assertThat(anonymous.move().actor()).isEqualTo("actuator");

    DualWriteEndpoint.MoveResult forced =
        writable.move("users", "NEW_READS", "verified offline", true, null, SecurityContext.NONE);
    assertThat(forced.move().forced()).isTrue();
    assertThat(node.dualWrite().phases().history("users")).hasSize(3);
  }

  @Test
  void refusalsSayWhy() {
    assertRefused(() -> writable.move("payments", "DUAL_WRITE", null, null, null, SecurityContext.NONE),
        Refusal.NOT_FOUND, "unknown entity 'payments'; configured entities are [orders, users]");
    assertRefused(() -> writable.move("users", "SIDEWAYS", null, null, null, SecurityContext.NONE),
        Refusal.INVALID, "unknown phase 'SIDEWAYS'");
    assertRefused(() -> writable.move("users", "NEW_ONLY", null, null, null, SecurityContext.NONE),
        Refusal.CONFLICT, "one step at a time");
    assertRefused(() -> writable.move("users", "NEW_ONLY", " ", true, null, SecurityContext.NONE),
        Refusal.CONFLICT, "needs a reason");
    assertRefused(() -> writable.operation("users", "letters", null, null, null, null, null, null, SecurityContext.NONE),
        Refusal.NOT_FOUND, "no operation 'letters'");
    assertRefused(() -> writable.move("users", null, "why", null, null, SecurityContext.NONE), Refusal.INVALID,
        "give \"phase\"");
    assertRefused(() -> writable.operation("users", DualWriteEndpoint.BACKFILL, null, null, null, null, null, null,
        SecurityContext.NONE), Refusal.CONFLICT, "no legacy rows of 'users' in this test");
  }

  @Test
  void retriesAnEntitysDeadLetters() {
    assertThat(writable.operation("users", DualWriteEndpoint.DEAD_LETTERS, null, null, null, null, null, null,
        SecurityContext.NONE)).isEqualTo(new DualWriteEndpoint.RetryResult("users", 0));
  }

  @Test
  void pausesAndResumesAnEntitysDeliveryRecordingWhoAndWhy() {
    assertThat(writable.operation("users", DualWriteEndpoint.DELIVERY, "pause", null, null, null, null, null,
        "service maintenance", as("lead"))).isEqualTo(new DualWriteEndpoint.DeliveryResult("users", true, true));
    assertThat(node.dualWrite().outbox().pausedDeliveries()).singleElement().satisfies(pause -> {
      assertThat(pause.pausedBy()).isEqualTo("lead");
      assertThat(pause.reason()).isEqualTo("service maintenance");
    });
    assertThat(writable.operation("users", DualWriteEndpoint.DELIVERY, "pause", null, null, null, null, null, null,
        SecurityContext.NONE)).as("paused already").isEqualTo(new DualWriteEndpoint.DeliveryResult("users", true,
            false));
    assertRefused(() -> writable.operation("users", DualWriteEndpoint.DELIVERY, null, null, null, null, null, null,
        SecurityContext.NONE), Refusal.INVALID, "give the \"action\"");
    assertRefused(() -> readOnly.operation("users", DualWriteEndpoint.DELIVERY, "resume", null, null, null, null, null,
        SecurityContext.NONE), Refusal.WRITES_DISABLED, "write-operations-enabled=true");

    assertThat(writable.operation("users", DualWriteEndpoint.DELIVERY, "resume", null, null, null, null, null,
        SecurityContext.NONE)).isEqualTo(new DualWriteEndpoint.DeliveryResult("users", false, true));
    assertThat(node.dualWrite().outbox().pausedDeliveries()).isEmpty();
  }

  @Test
  void theWebExtensionAnswersRefusalsWithTheirStatusAndMessage() {
    DualWriteEndpointWebExtension web = new DualWriteEndpointWebExtension(readOnly);
    WebEndpointResponse<OperationResponseBody> refused =
        web.move("users", "DUAL_WRITE", null, null, null, SecurityContext.NONE);
    assertThat(refused.getStatus()).isEqualTo(403);
    assertThat(((DualWriteEndpointWebExtension.Refused) refused.getBody()).error())
        .contains("dualwrite.endpoint.write-operations-enabled=true");

    DualWriteEndpointWebExtension open = new DualWriteEndpointWebExtension(writable);
    assertThat(open.move("payments", "DUAL_WRITE", null, null, null, SecurityContext.NONE).getStatus()).isEqualTo(404);
    assertThat(open.move("users", "SIDEWAYS", null, null, null, SecurityContext.NONE).getStatus()).isEqualTo(400);
    assertThat(open.move("users", "NEW_ONLY", null, null, null, SecurityContext.NONE).getStatus()).isEqualTo(409);
    WebEndpointResponse<OperationResponseBody> moved = open.move("users", "DUAL_WRITE", null, null, null, SecurityContext.NONE);
    assertThat(moved.getStatus()).isEqualTo(200);
    assertThat(moved.getBody()).isInstanceOf(DualWriteEndpoint.MoveResult.class);
    assertThat(open.operation("users", DualWriteEndpoint.DEAD_LETTERS, null, null, null, null, null, null,
        SecurityContext.NONE).getStatus()).isEqualTo(200);
    WebEndpointResponse<OperationResponseBody> unknown = open.entity("payments");
    assertThat(unknown.getStatus()).isEqualTo(404);
    assertThat(((DualWriteEndpointWebExtension.Refused) unknown.getBody()).error()).startsWith("unknown entity");
  }

  private static void assertRefused(Runnable operation, Refusal refusal, String message) {
    assertThatThrownBy(operation::run)
        .isInstanceOfSatisfying(DualWriteEndpointException.class, e -> assertThat(e.refusal()).isEqualTo(refusal))
        .hasMessageContaining(message);
  }

  private static SecurityContext as(String name) {
    Principal principal = () -> name;
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        return false;
      }
    };
  }
}
