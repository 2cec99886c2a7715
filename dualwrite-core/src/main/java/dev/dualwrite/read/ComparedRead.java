package dev.dualwrite.read;

import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.phase.Store;
import java.time.Duration;
import java.util.Objects;

/**
 * One read that was compared against the other store. Carries no data, only where and how long. Immutable.
 *
 * @param entity the entity's name
 * @param phase the phase the read was served in
 * @param key the read's key, as a string
 * @param servedBy the store whose answer the caller got
 * @param legacyLatency how long legacy took to answer
 * @param newLatency how long the new service took to answer (the shadow timeout when it did not answer in time)
 */
public record ComparedRead(
    String entity, MigrationPhase phase, String key, Store servedBy, Duration legacyLatency, Duration newLatency) {
  public ComparedRead {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(servedBy, "servedBy");
    Objects.requireNonNull(legacyLatency, "legacyLatency");
    Objects.requireNonNull(newLatency, "newLatency");
  }
}
