package dev.dualwrite.internal;

import dev.dualwrite.DualWrite;
import dev.dualwrite.EntityMigration;
import dev.dualwrite.phase.Phases;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The {@link DualWrite} that {@link dev.dualwrite.DualWriteBuilder} builds. Thread-safe. */
public final class DefaultDualWrite implements DualWrite {
  private final Map<String, EntityMigration> byName;
  private final List<EntityMigration> inOrder;
  private final Phases phases;

  public DefaultDualWrite(Map<String, EntityMigration> byName, List<EntityMigration> inOrder, Phases phases) {
    this.byName = byName;
    this.inOrder = List.copyOf(inOrder);
    this.phases = phases;
  }

  @Override
  public Phases phases() {
    return phases;
  }

  @Override
  public EntityMigration entity(String name) {
    EntityMigration entity = byName.get(name);
    if (entity == null) {
      throw new IllegalArgumentException("unknown entity '" + name + "'; configured entities are "
          + inOrder.stream().map(EntityMigration::name).toList());
    }
    return entity;
  }

  @Override
  public Collection<EntityMigration> entities() {
    return inOrder;
  }

  @Override
  public void close() {
    phases.close();
  }
}
