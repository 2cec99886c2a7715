package dev.dualwrite.hibernate.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.capture.ChangeCapture;
import dev.dualwrite.hibernate.BulkWritePolicy;
import dev.dualwrite.phase.MigrationPhase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches SQL that writes a mirrored entity's table outside Hibernate's entity events: JPQL/HQL bulk
 * {@code update}/{@code delete}/{@code insert ... select} and native SQL run through Hibernate. Every statement
 * Hibernate prepares passes here; entity writes are told apart because dualwrite's listener brackets them
 * ({@link #enterEntityWrite()} / {@link #leaveEntityWrite()}) on the writing thread, and are not looked at. Any other
 * statement that names a mirrored table and is not a plain {@code SELECT} is read with a real SQL parser
 * ({@link WrittenTables}), once per distinct statement text, to find the tables it writes: the targets of
 * {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code REPLACE} and {@code TRUNCATE}, also inside
 * {@code WITH} clauses and multi-table joins. A statement the parser cannot read counts as a write to every mirrored
 * table it names.
 *
 * <p>While the written entity's phase records writes, the statement is rejected or logged as the
 * {@link BulkWritePolicy} says; in {@code NEW_ONLY} it is always rejected. Delegates to the application's own
 * inspector, if it had one. Thread-safe.
 */
public final class BulkWriteGuard implements StatementInspector {
  private static final Logger log = LoggerFactory.getLogger(BulkWriteGuard.class);
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<int[]> ENTITY_WRITES = ThreadLocal.withInitial(() -> new int[1]);
  private static final int MAX_CACHED_STATEMENTS = 10_000;

  private final StatementInspector delegate;
  private volatile Armed armed;

  /**
   * Armed with the mirrored tables; {@code mentions} finds their names as whole words, {@code verdicts} caches each
   * statement text's verdict.
   */
  private record Armed(Map<String, String> entityByTable, Pattern mentions, boolean backslashEscapes,
      ChangeCapture capture, BulkWritePolicy policy, Map<String, Verdict> verdicts) {}

  /**
   * What a statement text writes of the mirrored tables: {@code writes} in order; {@code unparsed} says where the
   * parser stopped when it could not read the statement (the writes are then the mirrored tables it names).
   */
  private record Verdict(List<Write> writes, String unparsed) {}

  /** One mirrored table a statement writes; {@code kind} ({@code UPDATE}, …) is null when it could not be parsed. */
  private record Write(String table, String entity, String kind) {}

  private static final Verdict NO_WRITES = new Verdict(List.of(), null);

  /** @param delegate the application's own inspector, run after the check; null for none */
  public BulkWriteGuard(StatementInspector delegate) {
    this.delegate = delegate;
  }

  /**
   * Starts guarding: {@code entityByTable} maps lower-case table names to migration entity names;
   * {@code backslashEscapes} says whether the database reads a backslash in a string literal as an escape (MySQL,
   * MariaDB).
   */
  void arm(Map<String, String> entityByTable, ChangeCapture capture, BulkWritePolicy policy,
      boolean backslashEscapes) {
    Pattern mentions = Pattern.compile(entityByTable.keySet().stream().map(Pattern::quote)
        .collect(Collectors.joining("|", "(?i)(?<![\\w$])(?:", ")(?![\\w$])")));
    this.armed = new Armed(Map.copyOf(entityByTable), mentions, backslashEscapes, capture, policy,
        new ConcurrentHashMap<>());
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
    if (a != null && ENTITY_WRITES.get()[0] == 0 && !ReverseSyncWrites.active()) {
      check(sql, a);
    }
    if (delegate == null) {
      return sql;
    }
    String inspected = delegate.inspect(sql);
    return inspected == null ? sql : inspected;
  }

  private static void check(String sql, Armed a) {
    Verdict verdict = a.verdicts().get(sql);
    if (verdict == null) {
      verdict = verdict(sql, a);
      if (a.verdicts().size() < MAX_CACHED_STATEMENTS) { // beyond, statements are worked out each time
        a.verdicts().putIfAbsent(sql, verdict);
      }
    }
    for (Write write : verdict.writes()) {
      check(write, verdict.unparsed(), a);
    }
  }

  private static void check(Write write, String unparsed, Armed a) {
    String table = write.table();
    String entity = write.entity();
    MigrationPhase phase = a.capture().phase(entity);
    a.capture().legacyWriteSeen(entity);
    if (phase.rejectsLegacyWrites()) {
      String what = unparsed == null
          ? "bulk " + write.kind() + " on table '" + table + "' of entity '" + entity + "'"
          : "a statement naming table '" + table + "' of entity '" + entity + "' that dualwrite could not parse ("
              + unparsed + ")";
      throw new DualWriteException(what + " is rejected: the entity is in " + phase + ", the new service owns it."
          + " Write through the new service.");
    }
    if (!phase.capturesLegacyWrites()) {
      return;
    }
    String why = unparsed == null
        ? "bulk " + write.kind() + " on table '" + table + "' of mirrored entity '" + entity + "' (phase " + phase
            + ") bypasses Hibernate's entity events, so dualwrite cannot mirror the rows it changes"
        : "a statement naming table '" + table + "' of mirrored entity '" + entity + "' (phase " + phase + ") could"
            + " not be parsed (" + unparsed + "), so dualwrite cannot tell which tables it writes; it is not a plain"
            + " SELECT, so it is taken for a write that bypasses Hibernate's entity events and cannot be mirrored";
    if (a.policy() == BulkWritePolicy.REJECT) {
      throw new DualWriteException(why + ". It was rejected. Load and change the entities instead, or set "
          + "dualwrite.bulk_writes=warn and repair the new service with the verifier afterwards"
          + (unparsed == null ? "." : "; a statement that does not write '" + table + "' can run outside Hibernate."));
    }
    log.warn("dualwrite: {}. Run the verifier's repair for '{}' afterwards.", why, entity);
  }

  /**
   * Works out what a statement text writes of the mirrored tables. A text that names none of them, or a plain
   * {@code SELECT}, cannot write one and is not parsed.
   */
  private static Verdict verdict(String sql, Armed a) {
    Set<String> named = new LinkedHashSet<>();
    Matcher m = a.mentions().matcher(sql);
    while (m.find()) {
      named.add(m.group().toLowerCase(Locale.ROOT));
    }
    if (named.isEmpty() || WrittenTables.isPlainSelect(sql)) {
      return NO_WRITES;
    }
    WrittenTables.Reading reading = WrittenTables.read(sql, a.backslashEscapes());
    List<Write> writes = new ArrayList<>();
    if (reading.parsed()) {
      for (WrittenTables.Write write : reading.writes()) {
        String entity = a.entityByTable().get(write.table());
        if (entity != null) {
          writes.add(new Write(write.table(), entity, write.kind()));
        }
      }
      return writes.isEmpty() ? NO_WRITES : new Verdict(List.copyOf(writes), null);
    }
    for (String table : named) {
      writes.add(new Write(table, a.entityByTable().get(table), null));
    }
    return new Verdict(List.copyOf(writes), reading.problem());
  }
}
