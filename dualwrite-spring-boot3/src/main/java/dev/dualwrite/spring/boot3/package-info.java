/**
 * The Spring Boot 3.5 starter's one adapter: Boot 3's {@code HibernatePropertiesCustomizer}. The rest of the starter
 * is dualwrite-spring's, shared with Spring Boot 4.
 */
package dev.dualwrite.spring.boot3;
