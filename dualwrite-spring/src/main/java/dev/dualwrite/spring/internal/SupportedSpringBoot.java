package dev.dualwrite.spring.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Fails the application's start, before any bean is made, when the running Spring Boot is not one dualwrite supports
 * or the starter on the class path is not the one for it: dualwrite-spring for Spring Boot 4.x, dualwrite-spring-boot3
 * for 3.5.x. Registered in {@code META-INF/spring.factories}, which both lines read.
 */
public final class SupportedSpringBoot implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  /** Spring Boot 3.5's adapter, which only dualwrite-spring-boot3 has. */
  static final String BOOT_3_ADAPTER = "dev.dualwrite.spring.boot3.DualWriteHibernateBoot3AutoConfiguration";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    check(SpringBootVersion.getVersion(), ClassUtils.isPresent(BOOT_3_ADAPTER, context.getClassLoader()));
  }

  /**
   * Checks Spring Boot {@code version} (null when it cannot be told) against the starter on the class path.
   *
   * @param boot3Starter whether dualwrite-spring-boot3 is on the class path
   * @throws IllegalStateException naming the version found, the versions supported and the dependency to use
   */
  static void check(String version, boolean boot3Starter) {
    Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\..*").matcher(version == null ? "" : version);
    int major = m.matches() ? Integer.parseInt(m.group(1)) : -1;
    int minor = m.matches() ? Integer.parseInt(m.group(2)) : -1;
    if (major == 4 && boot3Starter) {
      throw new IllegalStateException("dualwrite-spring-boot3 is the starter for Spring Boot 3.5, but this is Spring"
          + " Boot " + version + ". On Spring Boot 4.x depend on dev.dualwrite:dualwrite-spring instead.");
    }
    if (major == 3 && minor == 5 && !boot3Starter) {
      throw new IllegalStateException("dualwrite-spring is the starter for Spring Boot 4.x, but this is Spring Boot "
          + version + ". On Spring Boot 3.5 depend on dev.dualwrite:dualwrite-spring-boot3 instead (it brings"
          + " dualwrite-spring).");
    }
    if (major != 4 && !(major == 3 && minor == 5)) {
      throw new IllegalStateException("dualwrite supports Spring Boot 3.5.x (dualwrite-spring-boot3) and 4.x"
          + " (dualwrite-spring); found Spring Boot " + version + ". Move the application to one of those, or leave"
          + " dualwrite's starter out.");
    }
  }
}
