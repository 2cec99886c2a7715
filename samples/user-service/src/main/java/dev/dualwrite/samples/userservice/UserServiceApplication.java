package dev.dualwrite.samples.userservice;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

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

  /**
   * Lets ids with a slash reach the controller: the protocol sends an id such as {@code a/b} as the path segment
   * {@code a%2Fb}, which Tomcat refuses by default. Passed through still encoded, Spring MVC decodes it within its
   * segment.
   */
  @Bean
  TomcatConnectorCustomizer encodedSlashesInIds() {
    return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
  }

  /** The application, configured by {@code user-service.properties} (and, as usual, arguments and environment). */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(UserServiceApplication.class)
        .properties("spring.config.name=" + CONFIG_NAME);
  }
}
