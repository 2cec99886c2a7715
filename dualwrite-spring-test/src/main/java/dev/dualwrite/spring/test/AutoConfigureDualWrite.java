package dev.dualwrite.spring.test;

import dev.dualwrite.test.service.ReferenceMirrorService;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Gives a Spring Boot test a new service and dualwrite, before the application context starts:
 *
 * <ul>
 *   <li>starts a {@link ReferenceMirrorService} on a free loopback port and sets {@code dualwrite.target.url} to its
 *       base URL, ahead of every other property source; the service is a bean of the context, so the test can
 *       {@code @Autowired} it to see what arrived or to script faults, and it stops when the context closes;</li>
 *   <li>imports dualwrite's auto-configuration, so a test slice such as {@code @DataJpaTest}, which leaves it out,
 *       mirrors too. In a {@code @SpringBootTest} it is there already and nothing changes.</li>
 * </ul>
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureDualWrite
 * class SignUpTest {
 *   @Autowired ReferenceMirrorService userService;
 *   ...
 * }
 * }</pre>
 *
 * <p>Spring's test context cache keeps a context, and so its service and what the service holds, for every test
 * class with the same configuration; a test that needs an empty service calls {@link ReferenceMirrorService#clear()}.
 * Registered for Spring's TestContext framework in {@code META-INF/spring.factories}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureDualWrite {}
