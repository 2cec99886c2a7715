/**
 * Spring Boot auto-configuration: dualwrite itself, its Hibernate settings (and Spring Boot 4's customizer that applies
 * them), the Micrometer meters and the Actuator endpoint, each in its own class, registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}. Every default bean backs
 * off when the application defines its own; {@code dualwrite.enabled=false} switches all of it off.
 */
package dev.dualwrite.spring.autoconfigure;
