/**
 * dualwrite for Spring Boot: the {@code dualwrite.*} properties ({@link dev.dualwrite.spring.DualWriteProperties}).
 * Add {@code dualwrite-spring}, annotate an entity {@code @Mirrored} and set {@code dualwrite.target.url}; the
 * auto-configuration in {@code dev.dualwrite.spring.autoconfigure} does the rest. See {@code docs/spring-boot.md}.
 */
package dev.dualwrite.spring;
