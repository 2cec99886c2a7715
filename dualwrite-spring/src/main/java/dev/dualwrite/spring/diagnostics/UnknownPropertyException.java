package dev.dualwrite.spring.diagnostics;

import java.util.List;

/**
 * A property under a dualwrite prefix that dualwrite does not know, such as {@code dualwrite.target.uri}: a typo that
 * would otherwise be ignored. Start-up fails with it, and {@link UnknownPropertyFailureAnalyzer} reports the property,
 * where it was set and the properties the prefix takes. Immutable.
 */
public final class UnknownPropertyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String origin;
  private final String prefix;
  private final List<String> validNames;
  private final String suggestion;

  /**
   * A refused property.
   *
   * @param property the property as set, e.g. {@code dualwrite.target.uri}
   * @param origin where it was set (a file and line, an environment variable), or {@code null} when unknown
   * @param prefix the prefix it was set under, e.g. {@code dualwrite.target}
   * @param validNames the properties the prefix takes, without the prefix, e.g. {@code url}
   * @param suggestion the valid property it is closest to, in full, or {@code null}
   */
  public UnknownPropertyException(
      String property, String origin, String prefix, List<String> validNames, String suggestion) {
    super("unknown property " + property + (origin == null ? "" : " (from " + origin + ")") + ": " + prefix
        + " takes " + String.join(", ", validNames)
        + (suggestion == null ? "" : "; did you mean " + suggestion + "?"));
    this.property = property;
    this.origin = origin;
    this.prefix = prefix;
    this.validNames = List.copyOf(validNames);
    this.suggestion = suggestion;
  }

  /** The property as set, e.g. {@code dualwrite.target.uri}. */
  public String property() {
    return property;
  }

  /** Where it was set, or {@code null} when unknown. */
  public String origin() {
    return origin;
  }

  /** The prefix it was set under, e.g. {@code dualwrite.target}. */
  public String prefix() {
    return prefix;
  }

  /** The properties the prefix takes, without the prefix. */
  public List<String> validNames() {
    return validNames;
  }

  /** The valid property it is closest to, in full, or {@code null}. */
  public String suggestion() {
    return suggestion;
  }
}
