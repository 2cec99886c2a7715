package dev.dualwrite.spring.internal;

import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Applies {@code dualwrite.*} properties to dualwrite's builders one setting at a time, building after each, so that
 * a value a builder refuses fails startup naming its property. The builders stay the only place that knows the rules.
 */
final class PropertySettings {
  private PropertySettings() {}

  /**
   * Runs {@code applyAndBuild}, which applies the property's value to a builder and builds.
   *
   * @return what was built
   * @throws InvalidConfigurationPropertyValueException naming {@code property} and {@code value}, with the builder's
   *     reason, when the builder refuses the value
   */
  static <T> T apply(String property, Object value, Supplier<T> applyAndBuild) {
    try {
      return applyAndBuild.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }
}
