package dev.dualwrite.spring.test.internal;

import dev.dualwrite.spring.test.AutoConfigureDualWrite;
import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives a test class annotated {@link AutoConfigureDualWrite} (directly, on a superclass or an enclosing class) a
 * {@link MirrorServiceContextCustomizer}. Registered in {@code META-INF/spring.factories}; stateless.
 */
public final class MirrorServiceContextCustomizerFactory implements ContextCustomizerFactory {

  /** Called by Spring's TestContext framework. */
  public MirrorServiceContextCustomizerFactory() {}

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureDualWrite.class)
        ? new MirrorServiceContextCustomizer()
        : null;
  }
}
