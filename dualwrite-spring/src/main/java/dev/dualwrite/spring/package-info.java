/** Spring Boot auto-configuration, properties, Actuator endpoint and metrics for dualwrite. */
package dev.dualwrite.spring;
