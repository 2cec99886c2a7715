package dev.dualwrite.internal;

/** The one shape of the builders' refusal of a setting: what it is, its value, what is allowed. */
public final class Settings {
  private Settings() {}

  /**
   * {@code <setting> is <value>; allowed: <allowed>}, e.g. {@code relay batchSize is 0; allowed: 1 to 1000}.
   *
   * @param setting the setting and whose it is, e.g. {@code relay batchSize} or {@code batchSize of the backfill of
   *     'users'}
   */
  public static IllegalArgumentException invalid(String setting, Object value, String allowed) {
    return new IllegalArgumentException(setting + " is " + value + "; allowed: " + allowed);
  }
}
