/**
 * Spring Boot test support: {@link dev.dualwrite.spring.test.AutoConfigureDualWrite} starts a reference mirror
 * service before the test's application context and points dualwrite at it.
 */
package dev.dualwrite.spring.test;
