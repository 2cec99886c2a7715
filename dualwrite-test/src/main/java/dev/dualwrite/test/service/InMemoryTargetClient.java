package dev.dualwrite.test.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.outbox.ChangeOperation;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.FeedChange;
import dev.dualwrite.target.FeedPage;
import dev.dualwrite.target.HeldVersion;
import dev.dualwrite.target.Precondition;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetException;
import dev.dualwrite.target.TargetPage;
import dev.dualwrite.target.spi.TargetClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A new service in memory behind the {@link TargetClient} interface, with no HTTP: for unit tests of code that reads
 * through a read router or delivers through a relay, where {@link ReferenceMirrorService} would be more than needed.
 * It keeps the mirror protocol's rules as the reference service does (the same store): a change applies only when
 * its version is greater than the one held, tombstones keep their version, a repeated idempotency key answers the
 * first outcome, listings are in the protocol's key order, and every applied write is in the resource's change feed.
 *
 * <pre>{@code
 * InMemoryTargetClient service = new InMemoryTargetClient();
 * service.plant("users", "1", 3, new ObjectMapper().readTree("{\"id\":1,\"name\":\"Ada\"}"));
 * DualWrite dualWrite = DualWrite.builder().withPhaseStore(PhaseStore.inMemory())
 *     .withEntity(EntityMigration.builder("users").build()).build();
 * ReadRouter users = ReadRouter.builder(dualWrite, "users").withTargetClient(service).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class InMemoryTargetClient implements TargetClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MirrorStore store = new MirrorStore(true);
  private final AtomicReference<TargetException> failure = new AtomicReference<>();

  /** An empty service. */
  public InMemoryTargetClient() {}

  @Override
  public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
    fail();
    List<DeliveryResult> results = new ArrayList<>(changes.size());
    for (OutboxEntry change : changes) {
      results.add(write(change, null));
    }
    return results;
  }

  @Override
  public DeliveryResult deliverIf(OutboxEntry change, Precondition precondition) {
    fail();
    return write(change, precondition);
  }

  private DeliveryResult write(OutboxEntry change, Precondition precondition) {
    StoredDocument candidate;
    if (change.operation() == ChangeOperation.DELETE) {
      candidate = StoredDocument.tombstone(change.entityId(), change.version());
    } else {
      try {
        candidate = StoredDocument.live(change.entityId(), change.version(), JSON.readTree(change.payload()));
      } catch (JsonProcessingException e) {
        return DeliveryResult.rejected(400, "the payload of " + change.describe() + " is not JSON");
      }
    }
    WriteResult written = store.write(change.resource(), change.idempotencyKey(), candidate, precondition);
    return switch (written.outcome()) {
      case APPLIED -> DeliveryResult.applied();
      case STALE -> DeliveryResult.stale();
      case CONFLICT -> DeliveryResult.rejected(412, change.resource() + " " + change.entityId() + ": expected "
          + precondition.headerValue() + " but the service holds "
          + (written.version() < 0 ? "nothing" : "version " + written.version()));
    };
  }

  @Override
  public Optional<HeldVersion> held(String resource, String id) {
    fail();
    StoredDocument held = store.get(resource, id);
    return held == null ? Optional.empty() : Optional.of(new HeldVersion(id, held.version(), held.deleted(),
        store.origin(resource, id) == MirrorStore.Origin.MIRROR));
  }

  @Override
  public Optional<TargetDocument> get(String resource, String id) {
    fail();
    StoredDocument held = store.get(resource, id);
    return held == null || held.deleted() ? Optional.empty() : Optional.of(document(held));
  }

  @Override
  public List<TargetDocument> getMany(String resource, List<String> ids) {
    fail();
    List<TargetDocument> found = new ArrayList<>();
    for (String id : ids) {
      StoredDocument held = store.get(resource, id);
      if (held != null && !held.deleted()) {
        found.add(document(held));
      }
    }
    return found;
  }

  @Override
  public TargetPage list(String resource, String afterId, int limit) {
    fail();
    MirrorStore.Page page = store.page(resource, afterId, limit);
    List<TargetDocument> items = page.items().stream().map(InMemoryTargetClient::document).toList();
    return new TargetPage(items, page.more() ? items.get(items.size() - 1).id() : null);
  }

  @Override
  public FeedPage changes(String resource, String after, int limit) {
    fail();
    long from = after == null ? 0 : Long.parseLong(after);
    MirrorStore.FeedPage page = store.changes(resource, from, limit);
    if (page == null) {
      throw new TargetException(410, "the changes of " + resource + " after cursor " + after + " were compacted away",
          null);
    }
    List<FeedChange> items = new ArrayList<>(page.items().size());
    for (MirrorStore.FeedEntry entry : page.items()) {
      StoredDocument document = entry.document();
      items.add(new FeedChange(String.valueOf(entry.position()), document.id(), document.version(),
          document.deleted() ? ChangeOperation.DELETE : ChangeOperation.UPSERT,
          entry.origin() == MirrorStore.Origin.MIRROR, entry.appliedAt(),
          document.deleted() ? null : document.data().deepCopy()));
    }
    String next = items.isEmpty() ? after : items.get(items.size() - 1).cursor();
    return new FeedPage(items, next, page.head() == 0 ? null : String.valueOf(page.head()));
  }

  /**
   * Writes {@code data} (a delete when null) through the service's own API: one version above the one held, always
   * applied, in the change feed as not from the mirror.
   */
  public StoredDocument writeThroughOwnApi(String resource, String id, JsonNode data) {
    return store.writeOwn(resource, id, data).copy();
  }

  /**
   * Holds {@code data} at {@code version} as {@code resource}/{@code id}, whatever is held: to set up what the new
   * service already has, or a copy that drifted.
   */
  public void plant(String resource, String id, long version, JsonNode data) {
    store.plant(resource, StoredDocument.live(id, version, Objects.requireNonNull(data, "data")));
  }

  /** What is held for {@code resource}/{@code id}, tombstones included; empty when nothing is. */
  public Optional<StoredDocument> document(String resource, String id) {
    return Optional.ofNullable(store.get(resource, id)).map(StoredDocument::copy);
  }

  /**
   * Makes every call fail with {@code failure} (a {@link TargetException}, as a client that cannot reach its service
   * throws), until called again with {@code null}.
   */
  public void failWith(TargetException failure) {
    this.failure.set(failure);
  }

  private void fail() {
    TargetException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private static TargetDocument document(StoredDocument held) {
    return new TargetDocument(held.id(), held.version(), held.data().deepCopy());
  }
}
