package dev.dualwrite.phase.internal;

import dev.dualwrite.phase.PhaseConflictException;
import dev.dualwrite.phase.PhaseMove;
import dev.dualwrite.phase.PhaseState;
import dev.dualwrite.phase.spi.PhaseStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link PhaseStore} in this JVM's memory. Thread-safe. */
public final class InMemoryPhaseStore implements PhaseStore {
  private final Map<String, PhaseState> states = new HashMap<>();
  private final List<PhaseMove> history = new ArrayList<>();

  @Override
  public synchronized Map<String, PhaseState> loadAll() {
    return Map.copyOf(states);
  }

  @Override
  public synchronized PhaseState compareAndSet(long expectedRevision, PhaseState next, PhaseMove move) {
    PhaseState stored = states.get(next.entity());
    long storedRevision = stored == null ? 0 : stored.revision();
    if (storedRevision != expectedRevision) {
      throw PhaseConflicts.conflict(next.entity(), expectedRevision, storedRevision);
    }
    states.put(next.entity(), next);
    history.add(move);
    return next;
  }

  @Override
  public synchronized List<PhaseMove> history(String entity) {
    return history.stream().filter(m -> m.entity().equals(entity)).toList();
  }
}
