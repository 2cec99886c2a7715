package dev.dualwrite.target;

/**
 * What the new service must hold for an id for a conditional write to be considered (header
 * {@code Dualwrite-Expected-Version}, docs/protocol.md): the write-through of an entity in {@code NEW_WRITES} sends
 * one, so that a monolith write based on a row the service has changed since fails instead of overwriting that
 * change. Immutable.
 *
 * @param kind which condition
 * @param version the version for {@link Kind#VERSION}; 0 otherwise
 */
public record Precondition(Kind kind, long version) {
  /** The conditions a write can carry. */
  public enum Kind {
    /** The service holds exactly this version, live or tombstone. */
    VERSION,
    /** The service holds nothing for the id, not even a tombstone. */
    NOTHING,
    /** The service holds nothing for the id, or what it holds came through the mirror protocol (not its own API). */
    FROM_MIRROR
  }

  /** The service must hold {@code version} of the id. */
  public static Precondition heldVersion(long version) {
    return new Precondition(Kind.VERSION, version);
  }

  /** The service must hold nothing for the id. */
  public static Precondition nothingHeld() {
    return new Precondition(Kind.NOTHING, 0);
  }

  /** What the service holds for the id, if anything, must have come through the mirror protocol. */
  public static Precondition heldFromMirror() {
    return new Precondition(Kind.FROM_MIRROR, 0);
  }

  /** The {@code Dualwrite-Expected-Version} header's value: the version, {@code none} or {@code mirror}. */
  public String headerValue() {
    return switch (kind) {
      case VERSION -> Long.toString(version);
      case NOTHING -> "none";
      case FROM_MIRROR -> "mirror";
    };
  }

  /**
   * The precondition a {@code Dualwrite-Expected-Version} header names.
   *
   * @throws IllegalArgumentException naming the header and what it takes, when {@code value} is none of them
   */
  public static Precondition parse(String value) {
    String text = value == null ? "" : value.strip();
    if (text.equals("none")) {
      return nothingHeld();
    }
    if (text.equals("mirror")) {
      return heldFromMirror();
    }
    try {
      long version = Long.parseLong(text);
      if (version >= 0) {
        return heldVersion(version);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("header Dualwrite-Expected-Version must be a decimal integer >= 0, none or"
        + " mirror, got \"" + text + "\"");
  }

  /**
   * Whether a store holding {@code heldVersion} ({@code null}: nothing), written through the mirror protocol when
   * {@code heldFromMirror}, meets this precondition.
   */
  public boolean isMetBy(Long heldVersion, boolean heldFromMirror) {
    return switch (kind) {
      case VERSION -> heldVersion != null && heldVersion == version;
      case NOTHING -> heldVersion == null;
      case FROM_MIRROR -> heldVersion == null || heldFromMirror;
    };
  }
}
