package dev.dualwrite.spring.test.internal;

import dev.dualwrite.test.service.ReferenceMirrorService;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link ReferenceMirrorService} for one application context, before it is refreshed: its URL becomes
 * {@code dualwrite.target.url}, ahead of every other property source, and it is registered as the bean
 * {@value #BEAN_NAME}, stopped when the context closes. Every instance is equal to every other, so that Spring's
 * context cache shares a context between test classes exactly as it would without it.
 */
final class MirrorServiceContextCustomizer implements ContextCustomizer {
  /** The name of the service's bean and of the property source. */
  static final String BEAN_NAME = "dualWriteReferenceMirrorService";

  @Override
  public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
    ReferenceMirrorService service = ReferenceMirrorService.start();
    context.getEnvironment().getPropertySources().addFirst(
        new MapPropertySource(BEAN_NAME, Map.of("dualwrite.target.url", service.baseUrl())));
    ConfigurableListableBeanFactory beans = context.getBeanFactory();
    beans.registerSingleton(BEAN_NAME, service);
    if (beans instanceof DefaultListableBeanFactory registry) {
      registry.registerDisposableBean(BEAN_NAME, service::close);
    } else {
      context.addApplicationListener(event -> {
        if (event instanceof org.springframework.context.event.ContextClosedEvent) {
          service.close();
        }
      });
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MirrorServiceContextCustomizer;
  }

  @Override
  public int hashCode() {
    return MirrorServiceContextCustomizer.class.hashCode();
  }
}
