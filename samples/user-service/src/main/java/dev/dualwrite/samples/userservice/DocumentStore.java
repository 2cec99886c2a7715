package dev.dualwrite.samples.userservice;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The service's documents, with the mirror protocol's version rule: a write is applied only when its version is
 * newer than the one held; a delete leaves a tombstone. Every applied write, mirrored or through the service's own
 * API, is added to the resource's change feed in the same transaction.
 */
@Repository
class DocumentStore {
  private static final Pattern CANONICAL_INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,38})");

  /** The outcome of one write, and the version held afterwards. */
  record Outcome(boolean applied, long version) {}

  /** One change of the feed. */
  record Change(long position, String id, long version, boolean deleted, String data, String origin,
      OffsetDateTime appliedAt) {}

  private final JdbcClient jdbc;

  DocumentStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Upserts ({@code data} not null) or deletes ({@code data} null) when {@code version} is newer than what is held. */
  @Transactional
  Outcome write(String resource, String id, long version, String data) {
    for (int attempt = 0; attempt < 2; attempt++) {
      int updated = jdbc.sql("UPDATE documents SET version = ?, deleted = ?, data = ?"
              + " WHERE resource = ? AND id = ? AND version < ?")
          .params(version, data == null, data, resource, id, version)
          .update();
      if (updated == 1) {
        return appended(resource, id, version, data, "mirror");
      }
      Optional<Document> held = find(resource, id);
      if (held.isPresent()) {
        return new Outcome(false, held.get().version());
      }
      try {
        jdbc.sql("INSERT INTO documents (resource, id, sort_key, version, deleted, data) VALUES (?, ?, ?, ?, ?, ?)")
            .params(resource, id, sortKey(id), version, data == null, data)
            .update();
        return appended(resource, id, version, data, "mirror");
      } catch (DuplicateKeyException concurrentFirstWrite) {
        // another request created it meanwhile: compare versions again
      }
    }
    return new Outcome(false, find(resource, id).map(Document::version).orElse(version));
  }

  /**
   * {@link #write}, only when what is held for the id meets {@code condition} (the mirror protocol's
   * {@code Dualwrite-Expected-Version}): a version held, {@code none} (nothing held) or {@code mirror} (nothing, or
   * what the mirror wrote); empty, changing nothing, when it does not. The held row is locked while it is compared.
   */
  @Transactional
  Optional<Outcome> writeIf(String resource, String id, long version, String data, String condition) {
    Long held = jdbc.sql("SELECT version FROM documents WHERE resource = ? AND id = ? FOR UPDATE")
        .params(resource, id)
        .query(Long.class)
        .optional()
        .orElse(null);
    boolean met = switch (condition) {
      case "none" -> held == null;
      case "mirror" -> held == null || origin(resource, id).equals("mirror");
      default -> held != null && held == Long.parseLong(condition);
    };
    return met ? Optional.of(write(resource, id, version, data)) : Optional.empty();
  }

  /** Who made the write that left what is held for the id: {@code mirror} or {@code service}. */
  String origin(String resource, String id) {
    return jdbc.sql("SELECT origin FROM changes WHERE resource = ? AND id = ? ORDER BY position DESC LIMIT 1")
        .params(resource, id)
        .query(String.class)
        .optional()
        .orElse("mirror");
  }

  /**
   * A write through the service's own API: {@code data} (a delete when null) at one version above the one held (1 when
   * nothing is), always applied.
   */
  @Transactional
  Outcome writeOwn(String resource, String id, String data) {
    Optional<Document> held = jdbc.sql("SELECT id, version, deleted, data FROM documents WHERE resource = ? AND id = ?"
            + " FOR UPDATE")
        .params(resource, id)
        .query(Document.class)
        .optional();
    long version = held.map(d -> d.version() + 1).orElse(1L);
    if (held.isPresent()) {
      jdbc.sql("UPDATE documents SET version = ?, deleted = ?, data = ? WHERE resource = ? AND id = ?")
          .params(version, data == null, data, resource, id)
          .update();
    } else {
      jdbc.sql("INSERT INTO documents (resource, id, sort_key, version, deleted, data) VALUES (?, ?, ?, ?, ?, ?)")
          .params(resource, id, sortKey(id), version, data == null, data)
          .update();
    }
    return appended(resource, id, version, data, "service");
  }

  /** Up to {@code limit} changes of the resource's feed after {@code after}, oldest first. */
  List<Change> changes(String resource, long after, int limit) {
    return jdbc.sql("SELECT position, id, version, deleted, data, origin, applied_at FROM changes"
            + " WHERE resource = ? AND position > ? ORDER BY position LIMIT ?")
        .params(resource, after, limit)
        .query(Change.class)
        .list();
  }

  /** The position of the resource's newest change; 0 when none. */
  long head(String resource) {
    return jdbc.sql("SELECT head FROM feed_heads WHERE resource = ?").param(resource).query(Long.class).optional()
        .orElse(0L);
  }

  /** Adds an applied write to the feed, in the write's transaction, at the resource's next position. */
  private Outcome appended(String resource, String id, long version, String data, String origin) {
    int advanced = jdbc.sql("UPDATE feed_heads SET head = head + 1 WHERE resource = ?").param(resource).update();
    if (advanced == 0) {
      try {
        jdbc.sql("INSERT INTO feed_heads (resource, head) VALUES (?, 1)").param(resource).update();
      } catch (DuplicateKeyException concurrentFirstChange) {
        jdbc.sql("UPDATE feed_heads SET head = head + 1 WHERE resource = ?").param(resource).update();
      }
    }
    long position = head(resource);
    jdbc.sql("INSERT INTO changes (resource, position, id, version, deleted, data, origin, applied_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(resource, position, id, version, data == null, data, origin, OffsetDateTime.now(ZoneOffset.UTC))
        .update();
    return new Outcome(true, version);
  }

  Optional<Document> find(String resource, String id) {
    return jdbc.sql("SELECT id, version, deleted, data FROM documents WHERE resource = ? AND id = ?")
        .params(resource, id)
        .query(Document.class)
        .optional();
  }

  /** Live documents after {@code afterId} in listing order, at most {@code limit}. */
  List<Document> list(String resource, String afterId, int limit) {
    String after = afterId == null ? "" : sortKey(afterId);
    return jdbc.sql("SELECT id, version, deleted, data FROM documents WHERE resource = ? AND sort_key > ?"
            + " AND deleted = FALSE ORDER BY sort_key LIMIT ?")
        .params(resource, after, limit)
        .query(Document.class)
        .list();
  }

  /**
   * A string whose order is the protocol's id order: canonical integers numerically (negative ones first), then
   * every other id by its characters.
   */
  static String sortKey(String id) {
    if (CANONICAL_INTEGER.matcher(id).matches() && !id.equals("-0")) {
      if (id.startsWith("-")) {
        String digits = id.substring(1);
        StringBuilder complement = new StringBuilder();
        for (char c : "0".repeat(40 - digits.length()).concat(digits).toCharArray()) {
          complement.append((char) ('9' - (c - '0')));
        }
        return "0" + complement;
      }
      return "1" + "0".repeat(40 - id.length()) + id;
    }
    return "2" + id;
  }
}
