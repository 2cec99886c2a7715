package dev.dualwrite.samples.userservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dualwrite.test.conformance.MirrorProtocolConformanceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The user service passes dualwrite's mirror-protocol v1 conformance kit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.config.name=" + UserServiceApplication.CONFIG_NAME,
    "spring.datasource.url=jdbc:h2:mem:user-service-conformance;DB_CLOSE_DELAY=-1"})
class UserServiceConformanceTest extends MirrorProtocolConformanceTest {
  @LocalServerPort int port;
  @Autowired DocumentStore store;

  @Override
  protected String baseUrl() {
    return "http://127.0.0.1:" + port + "/mirror";
  }

  /** What {@code /api/users} does, for any resource the kit names. */
  @Override
  protected boolean writeThroughOwnApi(String resource, String id, JsonNode data) {
    store.writeOwn(resource, id, data == null ? null : data.toString());
    return true;
  }
}
