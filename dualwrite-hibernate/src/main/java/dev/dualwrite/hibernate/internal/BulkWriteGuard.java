package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.phase.MigrationPhase;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches SQL that writes a mirrored entity's table outside Hibernate's entity events: JPQL/HQL bulk
 * {@code update}/{@code delete}/{@code insert ... select} and native SQL run through Hibernate. Entity writes are told
 * apart because dualwrite's listener brackets them ({@link #enterEntityWrite()} / {@link #leaveEntityWrite()}) on the
 * writing thread. While the entity's phase records writes, the statement is rejected or logged as the
 * {@link BulkWritePolicy} says; in {@code NEW_ONLY} it is always rejected. Delegates to the application's own
 * inspector, if it had one. Thread-safe.
 */
public final class BulkWriteGuard implements StatementInspector {
  private static final Logger log = LoggerFactory.getLogger(BulkWriteGuard.class);
  private static final long serialVersionUID = 1L;
  private static final Pattern WRITE = Pattern.compile(
      "^(update(?:\\s+only)?|delete\\s+from|delete|insert\\s+into|merge\\s+into|truncate(?:\\s+table)?)\\s+"
          + "([^\\s(,]+)");
  private static final ThreadLocal<int[]> ENTITY_WRITES = ThreadLocal.withInitial(() -> new int[1]);

  private final StatementInspector delegate;
  private volatile Armed armed;

  /** Armed with the mirrored tables; {@code targets} caches each statement text's verdict. */
  private record Armed(Map<String, String> entityByTable, ChangeCapture capture, BulkWritePolicy policy,
      Map<String, Target> targets) {}

  public BulkWriteGuard(StatementInspector delegate) {
    this.delegate = delegate == null ? StatementInspector.NONE : delegate;
  }

  /** Starts guarding: {@code entityByTable} maps lower-case table names to migration entity names. */
  void arm(Map<String, String> entityByTable, ChangeCapture capture, BulkWritePolicy policy) {
    this.armed = new Armed(Map.copyOf(entityByTable), capture, policy, new ConcurrentHashMap<>());
  }

  static void enterEntityWrite() {
    ENTITY_WRITES.get()[0]++;
  }

  static void leaveEntityWrite() {
    int[] depth = ENTITY_WRITES.get();
    depth[0] = Math.max(0, depth[0] - 1);
  }

  /** Forgets brackets left open by a failed write; called when a transaction completes. */
  static void resetEntityWrites() {
    ENTITY_WRITES.get()[0] = 0;
  }

  @Override
  public String inspect(String sql) {
    Armed a = armed;
    if (a != null && ENTITY_WRITES.get()[0] == 0) {
      check(sql, a);
    }
    String inspected = delegate.inspect(sql);
    return inspected == null ? sql : inspected;
  }

  private static void check(String sql, Armed a) {
    Target target = a.targets().get(sql);
    if (target == null) {
      target = target(sql, a);
      if (a.targets().size() < MAX_CACHED_STATEMENTS) { // beyond, statements are worked out each time
        a.targets().putIfAbsent(sql, target);
      }
    }
    if (target == NO_TARGET) {
      return;
    }
    String table = target.table();
    String entity = target.entity();
    String kind = target.kind();
    MigrationPhase phase = a.capture().phase(entity);
    if (phase.rejectsLegacyWrites()) {
      throw new DualWriteException("bulk " + kind + " on table '" + table + "' of entity '" + entity
          + "' is rejected: the entity is in " + phase + ", the new service owns it. Write through the new service.");
    }
    if (!phase.capturesLegacyWrites()) {
      return;
    }
    String why = "bulk " + kind + " on table '" + table + "' of mirrored entity '" + entity + "' (phase " + phase
        + ") bypasses Hibernate's entity events, so dualwrite cannot mirror the rows it changes";
    if (a.policy() == BulkWritePolicy.REJECT) {
      throw new DualWriteException(why + ". It was rejected. Load and change the entities instead, or set "
          + "dualwrite.bulk_writes=warn and repair the new service with the verifier afterwards.");
    }
    log.warn("dualwrite: {}. Run the verifier's repair for '{}' afterwards.", why, entity);
  }

  /** What a statement writes, if it writes a mirrored table: worked out once per statement text. */
  private record Target(String table, String entity, String kind) {}

  private static final Target NO_TARGET = new Target(null, null, null);
  private static final int MAX_CACHED_STATEMENTS = 10_000;

  private static Target target(String sql, Armed a) {
    Matcher m = WRITE.matcher(stripLeadingComments(sql).toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return NO_TARGET;
    }
    String table = tableName(m.group(2));
    String entity = a.entityByTable().get(table);
    return entity == null ? NO_TARGET
        : new Target(table, entity, m.group(1).replaceAll("\\s+", " ").toUpperCase(Locale.ROOT));
  }

  private static String stripLeadingComments(String sql) {
    String s = sql.stripLeading();
    while (true) {
      if (s.startsWith("/*")) {
        int end = s.indexOf("*/");
        s = end < 0 ? "" : s.substring(end + 2).stripLeading();
      } else if (s.startsWith("--")) {
        int end = s.indexOf('\n');
        s = end < 0 ? "" : s.substring(end + 1).stripLeading();
      } else {
        return s;
      }
    }
  }

  /** {@code "schema"."Users"} → {@code users}. */
  static String tableName(String qualified) {
    String last = qualified.substring(qualified.lastIndexOf('.') + 1);
    return last.replaceAll("[\"`\\[\\]]", "").toLowerCase(Locale.ROOT);
  }
}
