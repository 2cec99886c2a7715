package dev.dualwrite.spring.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link UnknownPropertyException}: the property, where it was set, and the properties its prefix takes.
 * Registered in {@code META-INF/spring.factories}; stateless and thread-safe.
 */
public final class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPropertyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, UnknownPropertyException cause) {
    String description = "The property " + cause.property()
        + (cause.origin() == null ? "" : " (from " + cause.origin() + ")") + " is not one of dualwrite's: "
        + cause.prefix() + " takes " + String.join(", ", cause.validNames()) + ". dualwrite refuses it rather than"
        + " ignore it.";
    String action = (cause.suggestion() == null ? "Rename it" : "Rename it to " + cause.suggestion())
        + " (the properties are listed in docs/configuration.md), or remove it.";
    return new FailureAnalysis(description, action, cause);
  }
}
