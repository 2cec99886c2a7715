package dev.dualwrite.test.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.test.service.ReferenceMirrorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The reference implementation passes the conformance kit. */
class ReferenceMirrorServiceConformanceTest extends MirrorProtocolConformanceTest {
  private static ReferenceMirrorService service;

  @BeforeAll
  static void startService() {
    service = ReferenceMirrorService.start();
  }

  @AfterAll
  static void stopService() {
    service.close();
  }

  @Override
  protected String baseUrl() {
    return service.baseUrl();
  }

  @Override
  protected boolean writeThroughOwnApi(String resource, String id, JsonNode data) {
    service.writeThroughOwnApi(resource, id, data);
    return true;
  }
}
