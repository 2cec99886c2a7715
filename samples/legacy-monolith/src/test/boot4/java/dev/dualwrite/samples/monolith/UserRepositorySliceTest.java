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
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A JPA test slice of the monolith with dualwrite: {@code @DataJpaTest} starts only JPA (on an embedded database),
 * {@code @AutoConfigureDualWrite} adds dualwrite and a reference user service. The test commits (no test transaction),
 * so the changes reach the service, and both stores agree. Spring Boot 4's {@code @DataJpaTest}; the Spring Boot 3.5
 * twin (samples/legacy-monolith-boot3) imports it from {@code org.springframework.boot.test.autoconfigure.orm.jpa}.
 */
@DataJpaTest
@AutoConfigureDualWrite
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class UserRepositorySliceTest {
  @Autowired UserRepository users;
  @Autowired DualWrite dualWrite;
  @Autowired LegacySource userRows;
  @Autowired ReferenceMirrorService userService;

  @Test
  void savedUsersReachTheUserServiceAndBothStoresAgree() {
    dualWrite.phases().move("users", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
    User ada = users.save(new User("Ada", "ada@example.com"));
    users.save(new User("Grace", "grace@example.com"));

    DualWriteAssertions.assertStoresAgree(dualWrite, userRows);
    assertThat(userService.document("users", ada.getId().toString())).isPresent();
  }
}
