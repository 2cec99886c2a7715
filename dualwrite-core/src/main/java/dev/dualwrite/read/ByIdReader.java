package dev.dualwrite.read;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of one entity by id, routed by a {@link ReadRouter}; made by {@link ReadRouter#byId}. Thread-safe.
 *
 * @param <K> the id's type; its {@link String#valueOf string form} is the id the new service knows
 * @param <V> what a read returns
 */
public interface ByIdReader<K, V> {

  /**
   * The entity with {@code id}, from the store the phase says.
   *
   * @throws NullPointerException when {@code id} is null
   */
  Optional<V> get(K id);

  /**
   * The entities with these ids, each id routed on its own (so each key keeps to its store): at most one legacy read
   * and one new-service read per 1000 ids, the results merged.
   *
   * @return the entities found, in the order of {@code ids}; ids neither store holds are left out
   * @throws NullPointerException when {@code ids} or one of them is null
   */
  Map<K, V> getAll(Collection<? extends K> ids);
}
