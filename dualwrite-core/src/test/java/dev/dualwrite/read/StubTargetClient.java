package dev.dualwrite.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.spi.TargetClient;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The new service's {@code users} in memory, for reads; a read can be made to throw. */
final class StubTargetClient implements TargetClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, TargetDocument> documents = new ConcurrentHashMap<>();
  private volatile RuntimeException failure;

  /** Holds {@code json} as the users document {@code id}. */
  StubTargetClient put(String id, String json) {
    try {
      documents.put(id, new TargetDocument(id, 1, JSON.readTree(json)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Makes every read throw {@code failure}. */
  StubTargetClient failWith(RuntimeException failure) {
    this.failure = failure;
    return this;
  }

  @Override
  public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
    throw new UnsupportedOperationException("reads only");
  }

  @Override
  public Optional<TargetDocument> get(String resource, String id) {
    check(resource);
    return Optional.ofNullable(documents.get(id));
  }

  @Override
  public List<TargetDocument> getMany(String resource, List<String> ids) {
    check(resource);
    return ids.stream().map(documents::get).filter(d -> d != null).toList();
  }

  private void check(String resource) {
    if (!resource.equals("users")) {
      throw new AssertionError("read of resource " + resource);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The data of document {@code id}, for tests that change it. */
  JsonNode data(String id) {
    return documents.get(id).data();
  }
}
