package dev.dualwrite.test.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dualwrite.test.service.ReferenceMirrorService;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The conformance kit fails, saying which rule was broken, against a service that ignores the version rule, and still
 * passes the checks that rule plays no part in. Runs the kit through the JUnit Platform's test kit.
 */
class ConformanceKitCatchesBrokenServicesTest {

  /** Set by this test for the runs it starts, so that the build's own run skips the broken-service suite. */
  private static final String RUN_BROKEN = "dualwrite.conformance.runAgainstBrokenService";

  /** Enables a class only in the runs this test starts through the test kit. */
  static final class OnlyThroughTheTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(RUN_BROKEN).isPresent()
          ? ConditionEvaluationResult.enabled("started by ConformanceKitCatchesBrokenServicesTest")
          : ConditionEvaluationResult.disabled("runs only through ConformanceKitCatchesBrokenServicesTest");
    }
  }

  /** The kit pointed at a service that applies every write whatever its version. Run only through the test kit. */
  @ExtendWith(OnlyThroughTheTestKit.class)
  static class AgainstAServiceIgnoringTheVersionRule extends MirrorProtocolConformanceTest {
    private static ReferenceMirrorService broken;

    @BeforeAll
    static void startBrokenService() {
      broken = ReferenceMirrorService.startIgnoringVersionRule();
    }

    @AfterAll
    static void stopBrokenService() {
      broken.close();
    }

    @Override
    protected String baseUrl() {
      return broken.baseUrl();
    }
  }

  @Test
  void theKitFailsAgainstAServiceIgnoringTheVersionRuleNamingTheRule() {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(AgainstAServiceIgnoringTheVersionRule.class))
        .configurationParameter(RUN_BROKEN, "true")
        .execute();

    results.testEvents().assertThatEvents().haveAtLeastOne(event(test("olderAndEqualVersionsAreStaleAndChangeNothing"),
        finishedWithFailure(message(m -> m.contains("an upsert of version 3 over version 5")
            && m.contains("must be STALE")
            && m.contains("the version rule: a write is APPLIED only when its version is strictly greater")
            && m.contains("answered 200 {\"outcome\":\"APPLIED\",\"version\":3}")))));
    List<String> failed = names(results.testEvents().failed().list());
    assertThat(failed).containsExactlyInAnyOrder(
        "olderAndEqualVersionsAreStaleAndChangeNothing",
        "aDeleteLeavesATombstoneThatBlocksOlderUpsertsButNotNewerOnes",
        "deletingAnUnknownIdStoresATombstoneThatWaitsForTheOlderCreate",
        "aBatchProcessesEachChangeOnItsOwnInArrayOrder",
        "theFeedListsAppliedChangesInOrderAndResumesFromItsCursor");
    assertThat(names(results.testEvents().succeeded().list())).contains(
        "anUpsertIsAppliedAndReadBack",
        "getManyAnswersLiveDocumentsOnlyInRequestOrder",
        "theListingFollowsTheListingOrderPageByPage",
        "writesWithoutValidHeadersOrBodyAreRejectedWith400NamingTheProblem");
  }

  @Test
  void theKitPassesAgainstTheReferenceService() {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ReferenceMirrorServiceConformanceTest.class))
        .execute();

    results.testEvents().assertStatistics(stats -> stats.failed(0).aborted(0).succeeded(19));
  }

  /** The kit pointed at a service whose feed lists each page newest first. Run only through the test kit. */
  @ExtendWith(OnlyThroughTheTestKit.class)
  static class AgainstAFeedOutOfOrder extends AgainstABrokenFeed {
    @BeforeAll
    static void start() {
      startBroken(BrokenFeedProxy.Fault.OUT_OF_ORDER);
    }
  }

  /** The kit pointed at a service whose feed ignores the cursor. Run only through the test kit. */
  @ExtendWith(OnlyThroughTheTestKit.class)
  static class AgainstAFeedThatLosesTheCursor extends AgainstABrokenFeed {
    @BeforeAll
    static void start() {
      startBroken(BrokenFeedProxy.Fault.LOST_CURSOR);
    }
  }

  /** The reference service behind a {@link BrokenFeedProxy}. */
  abstract static class AgainstABrokenFeed extends MirrorProtocolConformanceTest {
    private static ReferenceMirrorService service;
    private static BrokenFeedProxy proxy;

    static void startBroken(BrokenFeedProxy.Fault fault) {
      service = ReferenceMirrorService.start();
      proxy = new BrokenFeedProxy(service.baseUrl(), fault);
    }

    @AfterAll
    static void stop() {
      proxy.close();
      service.close();
    }

    @Override
    protected String baseUrl() {
      return proxy.baseUrl();
    }
  }

  @Test
  void theKitFailsAgainstAFeedOutOfOrderOrThatLosesItsCursor() {
    for (Class<?> broken : List.of(AgainstAFeedOutOfOrder.class, AgainstAFeedThatLosesTheCursor.class)) {
      EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(broken))
          .configurationParameter(RUN_BROKEN, "true")
          .execute();

      results.testEvents().assertThatEvents().as(broken.getSimpleName()).haveAtLeastOne(
          event(test("theFeedListsAppliedChangesInOrderAndResumesFromItsCursor"),
              finishedWithFailure(message(m -> m.contains("the feed must list the applied changes in the order they"
                  + " were applied, each once")))));
      assertThat(names(results.testEvents().succeeded().list())).as(broken.getSimpleName())
          .contains("anUpsertIsAppliedAndReadBack", "olderAndEqualVersionsAreStaleAndChangeNothing");
    }
  }

  private static List<String> names(List<Event> events) {
    return events.stream()
        .map(e -> e.getTestDescriptor().getDisplayName().replaceAll("\\(.*\\)$", ""))
        .toList();
  }
}
