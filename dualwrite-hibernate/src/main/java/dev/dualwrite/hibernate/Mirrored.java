package dev.dualwrite.hibernate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an entity whose writes dualwrite mirrors to the new service, under the migration entity named by
 * {@link #value()} (configured with {@code DualWrite.builder().withEntity(EntityMigration.builder(value)...)}).
 *
 * <pre>{@code
 * @Entity
 * @Mirrored("users")
 * class User { @Id Long id; @Version long version; String email; @MirrorIgnore String passwordHash; }
 * }</pre>
 *
 * <p>The payload is a JSON snapshot of the entity's persistent properties: the id, basic values (dates and times as
 * ISO-8601 strings), embeddables as objects, to-one associations as the associated entity's id (never loading it),
 * and no collections. Exclude a property with {@link MirrorIgnore}, rename it with {@link MirrorName}. The version is
 * the entity's numeric {@code @Version} where it has one; otherwise dualwrite assigns one that grows with every change.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Mirrored {
  /** The migration entity's name, e.g. {@code users}; its resource in the new service is configured there. */
  String value();
}
