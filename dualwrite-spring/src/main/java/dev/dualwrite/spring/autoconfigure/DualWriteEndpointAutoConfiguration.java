package dev.dualwrite.spring.autoconfigure;

import dev.dualwrite.DualWrite;
import dev.dualwrite.read.ReadRouter;
import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.actuate.DualWriteEndpoint;
import dev.dualwrite.spring.actuate.DualWriteEndpointWebExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dualwrite} Actuator endpoint, when Actuator is present and the endpoint is available (exposed and not
 * switched off with {@code management.endpoint.dualwrite.access=none}). Its write operations also need
 * {@code dualwrite.endpoint.write-operations-enabled=true}.
 */
@AutoConfiguration(after = DualWriteAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBooleanProperty(name = "dualwrite.enabled", matchIfMissing = true)
@ConditionalOnBean(DualWrite.class)
@ConditionalOnAvailableEndpoint(DualWriteEndpoint.class)
@EnableConfigurationProperties(DualWriteProperties.class)
public final class DualWriteEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DualWriteEndpoint dualWriteEndpoint(
      DualWrite dualWrite, ObjectProvider<ReadRouter> readRouters, DualWriteProperties properties) {
    return new DualWriteEndpoint(
        dualWrite, readRouters.orderedStream().toList(), properties.endpoint().writeOperationsEnabled());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(DualWriteEndpoint.class)
  @ConditionalOnAvailableEndpoint(endpoint = DualWriteEndpoint.class, exposure = EndpointExposure.WEB)
  DualWriteEndpointWebExtension dualWriteEndpointWebExtension(DualWriteEndpoint endpoint) {
    return new DualWriteEndpointWebExtension(endpoint);
  }
}
