package dev.dualwrite.hibernate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names a property of a {@link Mirrored} entity differently in the mirrored snapshot. */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MirrorName {
  /** The name in the JSON snapshot. */
  String value();
}
