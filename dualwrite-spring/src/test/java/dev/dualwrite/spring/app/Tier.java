package dev.dualwrite.spring.app;

import java.util.Locale;

/** A customer's tier; written lowercase by the test application's JSON mapper ({@link ApplicationJson}). */
public enum Tier {
  BASIC,
  GOLD;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
