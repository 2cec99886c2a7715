package dev.dualwrite.samples.monolith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.DualWrite;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.test.AutoConfigureDualWrite;
import dev.dualwrite.test.DualWriteAssertions;
import dev.dualwrite.test.service.ReferenceMirrorService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * The whole monolith in a {@code @SpringBootTest}, with the user service {@code @AutoConfigureDualWrite} starts before
 * the context (its URL replaces the {@code dualwrite.target.url} of application.properties): users signed up over
 * HTTP reach the user service, and both stores agree.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:user-sign-up-test;DB_CLOSE_DELAY=-1")
@AutoConfigureDualWrite
class UserSignUpTest {
  @Autowired DualWrite dualWrite;
  @Autowired LegacySource userRows;
  @Autowired ReferenceMirrorService userService;
  @LocalServerPort int port;

  @Test
  void signedUpUsersReachTheUserService() {
    dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
    RestClient http = RestClient.create("http://127.0.0.1:" + port);
    UserView ada = http.post().uri("/users").contentType(MediaType.APPLICATION_JSON)
        .body(new UserForm("Ada", "ada@example.com")).retrieve().body(UserView.class);

    DualWriteAssertions.assertStoresAgree(dualWrite, userRows);
    assertThat(userService.document("users", ada.id().toString()))
        .hasValueSatisfying(user -> assertThat(user.data().path("name").asText()).isEqualTo("Ada"));
  }
}
