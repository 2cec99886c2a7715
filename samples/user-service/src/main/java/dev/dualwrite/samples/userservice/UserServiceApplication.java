package dev.dualwrite.samples.userservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The new service of the samples: it will own users. It implements the mirror protocol v1 (docs/protocol.md) over
 * its own database, so the monolith can mirror users into it while it migrates. It knows nothing of dualwrite.
 */
@SpringBootApplication
public class UserServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(UserServiceApplication.class, args);
  }
}
