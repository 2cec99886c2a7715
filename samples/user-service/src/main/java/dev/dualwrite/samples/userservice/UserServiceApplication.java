package dev.dualwrite.samples.userservice;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The new service of the samples: it will own users. It implements the mirror protocol v1 (docs/protocol.md) over
 * its own database, so the monolith can mirror users into it while it migrates. It knows nothing of dualwrite.
 */
@SpringBootApplication
public class UserServiceApplication {
  /** The name of its configuration file, {@code user-service.properties}. */
  public static final String CONFIG_NAME = "user-service";

  public static void main(String[] args) {
    application().run(args);
  }

  /** The application, configured by {@code user-service.properties} (and, as usual, arguments and environment). */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(UserServiceApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME);
  }
}
