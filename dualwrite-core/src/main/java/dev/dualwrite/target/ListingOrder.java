package dev.dualwrite.target;

import java.util.Comparator;

/**
 * The mirror protocol's listing order of ids (docs/protocol.md, "Listing order"): ids that are canonical decimal
 * integers ({@code -?[0-9]+} without leading zeros, any length, {@code "-0"} excluded) sort numerically and before
 * all other ids; other ids sort by {@link String#compareTo}. A Java service can key its store with it; the verifier
 * uses it to walk legacy rows and the listing side by side. Stateless and thread-safe; consistent with
 * {@link String#equals}.
 */
public final class ListingOrder implements Comparator<String> {
  /** The one instance. */
  public static final ListingOrder INSTANCE = new ListingOrder();

  private ListingOrder() {}

  @Override
  public int compare(String a, String b) {
    boolean aNumeric = isCanonicalInteger(a);
    boolean bNumeric = isCanonicalInteger(b);
    if (aNumeric && bNumeric) {
      return compareIntegers(a, b);
    }
    if (aNumeric != bNumeric) {
      return aNumeric ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** Whether {@code s} is the canonical decimal form of an integer: "0", "7", "-12", but not "007", "-0" or "+1". */
  private static boolean isCanonicalInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    int length = s.length();
    if (length == start) {
      return false;
    }
    if (s.charAt(start) == '0' && (length > start + 1 || start == 1)) {
      return false;
    }
    for (int i = start; i < length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int compareIntegers(String a, String b) {
    boolean aNegative = a.charAt(0) == '-';
    boolean bNegative = b.charAt(0) == '-';
    if (aNegative != bNegative) {
      return aNegative ? -1 : 1;
    }
    int magnitude = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    return aNegative ? -magnitude : magnitude;
  }
}
