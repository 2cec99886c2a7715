package dev.dualwrite.spring;

import dev.dualwrite.target.HttpTargetClientBuilder;

/**
 * Changes the new service's HTTP client before the starter builds it from {@code dualwrite.target}: every bean of
 * this type is applied, in order, to the {@link HttpTargetClientBuilder}, after the properties (for example to add an
 * interceptor or a header). The starter's own metrics add their request timer this way. Not used when the application
 * defines its own {@code TargetClient} bean.
 */
@FunctionalInterface
public interface TargetClientCustomizer {

  /** Changes {@code builder}; called once, at start-up. */
  void customize(HttpTargetClientBuilder builder);
}
