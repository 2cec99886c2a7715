package dev.dualwrite.spring.internal;

import dev.dualwrite.spring.DualWriteProperties;
import dev.dualwrite.spring.diagnostics.UnknownPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Checks made at start-up, before dualwrite is built: that every property under {@code dualwrite.target} is one
 * dualwrite knows, in any of Spring Boot's relaxed forms ({@code dualwrite.target.bearer-token},
 * {@code DUALWRITE_TARGET_BEARERTOKEN}, ...).
 */
public final class StartupChecks {
  /** The prefix whose properties are checked. */
  static final String TARGET = "dualwrite.target";

  private StartupChecks() {}

  /**
   * Refuses a property under {@code dualwrite.target} that is not one of {@link DualWriteProperties.Target}'s.
   *
   * @throws UnknownPropertyException naming the first such property, where it was set and the valid ones
   */
  public static void checkTargetProperties(Environment environment) {
    List<String> valid = Arrays.stream(DualWriteProperties.Target.class.getRecordComponents())
        .map(RecordComponent::getName).map(StartupChecks::dashed).toList();
    List<String> uniform = valid.stream().map(name -> name.replace("-", "")).toList();
    ConfigurationPropertyName prefix = ConfigurationPropertyName.of(TARGET);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      for (ConfigurationPropertyName name : (Iterable<ConfigurationPropertyName>) iterable.stream()::iterator) {
        if (!prefix.isAncestorOf(name)) {
          continue;
        }
        String key = name.getElement(prefix.getNumberOfElements(), Form.UNIFORM);
        if (name.getNumberOfElements() == prefix.getNumberOfElements() + 1 && uniform.contains(key)) {
          continue;
        }
        ConfigurationProperty property = source.getConfigurationProperty(name);
        String origin = property == null || property.getOrigin() == null ? null : property.getOrigin().toString();
        throw new UnknownPropertyException(name.toString(), origin, TARGET, valid, suggestion(key, valid));
      }
    }
  }

  private static String suggestion(String key, List<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : valid) {
      int distance = distance(key, name.replace("-", ""));
      if (distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return bestDistance <= 2 ? TARGET + "." + best : null;
  }

  /** Levenshtein's distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static String dashed(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
