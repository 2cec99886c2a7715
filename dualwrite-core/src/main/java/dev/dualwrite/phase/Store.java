package dev.dualwrite.phase;

/** One of the two stores an entity lives in while it migrates. */
public enum Store {
  /** The monolith's database, reached through Hibernate and JDBC. */
  LEGACY,
  /** The new service, reached through its mirror-protocol client. */
  NEW
}
