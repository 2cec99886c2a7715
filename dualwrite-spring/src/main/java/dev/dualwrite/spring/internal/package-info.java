/**
 * Implementation: turning {@code dualwrite.*} properties into dualwrite's builders (a refused value names its
 * property) and finding {@code @Mirrored} entities among the JPA-managed classes. Not an API.
 */
package dev.dualwrite.spring.internal;
