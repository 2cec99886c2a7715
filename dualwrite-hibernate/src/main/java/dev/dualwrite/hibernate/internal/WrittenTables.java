package dev.dualwrite.hibernate.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Block;
import net.sf.jsqlparser.statement.IfElseStatement;
import net.sf.jsqlparser.statement.ParenthesedStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

/**
 * The tables one SQL text writes, read with JSqlParser: the targets of {@code INSERT}, {@code UPDATE}, {@code DELETE},
 * {@code MERGE}, {@code REPLACE}/{@code UPSERT} and {@code TRUNCATE}, also when they stand in a {@code WITH} clause,
 * in one of several statements, or in a multi-table {@code UPDATE … JOIN} / {@code DELETE a FROM a JOIN b}. Tables a
 * statement only reads are left out. Names are unquoted, lower-case and without their schema. Stateless and
 * thread-safe.
 */
final class WrittenTables {
  /**
   * Where JSqlParser parses, so that its time limit applies. Its own shortcut starts a thread per statement and leaves
   * it running when the statement cannot be parsed; these threads are shared, and end after a minute unused.
   */
  private static final ExecutorService PARSERS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "dualwrite-sql-parser");
    thread.setDaemon(true);
    return thread;
  });
  private static final Pattern LEADING_COMMENTS_AND_PARENS =
      Pattern.compile("^(?:\\s|\\(|/\\*.*?\\*/|--[^\\n]*(?:\\n|$)|#[^\\n]*(?:\\n|$))*", Pattern.DOTALL);
  private static final Pattern SELECT = Pattern.compile("(?i)^select\\b");
  private static final Pattern LOCKING_CLAUSE = Pattern.compile("(?i)\\bfor\\s+(?:no\\s+key\\s+)?update\\b");
  private static final Pattern WRITE_KEYWORD =
      Pattern.compile("(?i)(?<![\\w$])(?:insert|update|delete|merge|replace|upsert|truncate)(?![\\w$])");

  private WrittenTables() {}

  /** One table a statement writes, and how: {@code UPDATE}, {@code DELETE FROM}, {@code INSERT INTO}, … */
  record Write(String table, String kind) {}

  /**
   * What JSqlParser made of a statement text: the tables it writes, or, when it could not be parsed, where the parser
   * stopped ({@code problem}).
   */
  record Reading(List<Write> writes, String problem) {
    boolean parsed() {
      return problem == null;
    }
  }

  /**
   * Reads {@code sql}, which may hold several statements separated by semicolons.
   *
   * @param backslashEscapes whether a backslash escapes the next character in a string literal, as in MySQL and
   *     MariaDB by default
   */
  static Reading read(String sql, boolean backslashEscapes) {
    Consumer<CCJSqlParser> dialect = parser -> parser.withBackslashEscapeCharacter(backslashEscapes);
    List<Statement> statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql, PARSERS, dialect);
    } catch (JSQLParserException e) {
      return new Reading(List.of(), where(e));
    }
    if (statements == null) { // blank text
      return new Reading(List.of(), null);
    }
    List<Write> writes = new ArrayList<>();
    try {
      for (Statement statement : statements) {
        collect(statement, writes);
      }
    } catch (RuntimeException e) { // a tree this reading does not expect: as good as unparsed
      return new Reading(List.of(), "JSqlParser's tree could not be read: " + e.getClass().getSimpleName());
    }
    return new Reading(List.copyOf(writes), null);
  }

  /**
   * Whether a statement text is a plain query, which can write no table (only functions it calls could, and no parser
   * sees into those): it starts with {@code SELECT} (after comments and parentheses) and, apart from a
   * {@code FOR [NO KEY] UPDATE} lock, names no writing keyword anywhere, not even in a comment or a string.
   */
  static boolean isPlainSelect(String sql) {
    String body = LEADING_COMMENTS_AND_PARENS.matcher(sql).replaceFirst("");
    return SELECT.matcher(body).find() && !WRITE_KEYWORD.matcher(LOCKING_CLAUSE.matcher(body).replaceAll(" ")).find();
  }

  /** {@code "schema"."Users"} → {@code users}. */
  private static String normalise(Table table) {
    return unquote(table.getName());
  }

  private static String unquote(String name) {
    return name.replaceAll("[\"`\\[\\]]", "").toLowerCase(Locale.ROOT);
  }

  private static void collect(Statement statement, List<Write> writes) {
    if (statement instanceof Select select) {
      collectSelect(select, writes);
    } else if (statement instanceof Insert insert) {
      withItems(insert.getWithItemsList(), writes);
      add(insert.getTable(), "INSERT INTO", writes);
      if (insert.getSelect() != null) {
        collectSelect(insert.getSelect(), writes);
      }
    } else if (statement instanceof Update update) {
      withItems(update.getWithItemsList(), writes);
      updated(update, writes);
    } else if (statement instanceof Delete delete) {
      withItems(delete.getWithItemsList(), writes);
      deleted(delete, writes);
    } else if (statement instanceof Merge merge) {
      withItems(merge.getWithItemsList(), writes);
      add(merge.getTable(), "MERGE INTO", writes);
    } else if (statement instanceof Upsert upsert) {
      add(upsert.getTable(), upsertKind(upsert.getUpsertType()), writes);
      if (upsert.getSelect() != null) {
        collectSelect(upsert.getSelect(), writes);
      }
    } else if (statement instanceof Truncate truncate) {
      List<Table> tables = truncate.getTables();
      for (Table table : tables == null || tables.isEmpty() ? List.of(truncate.getTable()) : tables) {
        add(table, "TRUNCATE TABLE", writes);
      }
    } else if (statement instanceof Block block && block.getStatements() != null) {
      block.getStatements().forEach(s -> collect(s, writes));
    } else if (statement instanceof IfElseStatement ifElse) {
      collect(ifElse.getIfStatement(), writes);
      if (ifElse.getElseStatement() != null) {
        collect(ifElse.getElseStatement(), writes);
      }
    }
  }

  /** A query writes only through data-modifying statements in its {@code WITH} clauses (PostgreSQL). */
  private static void collectSelect(Select select, List<Write> writes) {
    withItems(select.getWithItemsList(), writes);
    if (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() != null) {
      collectSelect(parenthesed.getSelect(), writes);
    } else if (select instanceof SetOperationList operations) {
      operations.getSelects().forEach(s -> collectSelect(s, writes));
    }
  }

  private static void withItems(List<WithItem<?>> items, List<Write> writes) {
    if (items == null) {
      return;
    }
    for (WithItem<?> item : items) {
      ParenthesedStatement inner = item.getParenthesedStatement();
      if (inner instanceof ParenthesedInsert insert) {
        collect(insert.getInsert(), writes);
      } else if (inner instanceof ParenthesedUpdate update) {
        collect(update.getUpdate(), writes);
      } else if (inner instanceof ParenthesedDelete delete) {
        collect(delete.getDelete(), writes);
      } else if (inner instanceof Select select) {
        collectSelect(select, writes);
      }
    }
  }

  /**
   * {@code UPDATE t … [FROM …]} writes {@code t}; MySQL's multi-table {@code UPDATE a JOIN b … SET a.x = …} writes the
   * tables whose columns it sets, and every table of the join when a set column names no table.
   */
  private static void updated(Update update, List<Write> writes) {
    List<Join> startJoins = update.getStartJoins();
    if (startJoins == null || startJoins.isEmpty()) {
      add(update.getTable(), "UPDATE", writes);
      return;
    }
    Map<String, Table> joined = new LinkedHashMap<>();
    name(update.getTable(), joined);
    joins(startJoins, joined);
    Set<Table> written = new LinkedHashSet<>();
    for (UpdateSet set : update.getUpdateSets()) {
      for (Column column : set.getColumns()) {
        Table qualifier = column.getTable();
        Table target =
            qualifier == null || qualifier.getName() == null ? null : joined.get(unquote(qualifier.getName()));
        if (target == null) { // a column of any of the joined tables, or of an alias not worked out: all of them
          joined.values().forEach(t -> add(t, "UPDATE", writes));
          return;
        }
        written.add(target);
      }
    }
    written.forEach(t -> add(t, "UPDATE", writes));
  }

  /**
   * {@code DELETE FROM t} writes {@code t}; MySQL's {@code DELETE a, b FROM a JOIN b …} writes the tables (or aliases)
   * listed before {@code FROM}. PostgreSQL's {@code USING} tables are only read.
   */
  private static void deleted(Delete delete, List<Write> writes) {
    List<Table> listed = delete.getTables();
    if (listed == null || listed.isEmpty()) {
      add(delete.getTable(), "DELETE FROM", writes);
      return;
    }
    Map<String, Table> from = new LinkedHashMap<>();
    fromItem(delete.getTable(), from);
    joins(delete.getJoins(), from);
    for (Table table : listed) {
      add(from.getOrDefault(unquote(table.getName()), table), "DELETE FROM", writes);
    }
  }

  /**
   * Registers the tables of a {@code FROM} item, also of a parenthesised join, under their aliases and their own names;
   * derived tables cannot be written and are skipped.
   */
  private static void fromItem(FromItem item, Map<String, Table> byName) {
    if (item instanceof Table table) {
      name(table, byName);
    } else if (item instanceof ParenthesedFromItem parenthesed) {
      fromItem(parenthesed.getFromItem(), byName);
      joins(parenthesed.getJoins(), byName);
    }
  }

  private static void joins(List<Join> joins, Map<String, Table> byName) {
    if (joins != null) {
      joins.forEach(join -> fromItem(join.getRightItem(), byName));
    }
  }

  private static void name(Table table, Map<String, Table> byName) {
    if (table.getAlias() != null) {
      byName.put(unquote(table.getAlias().getName()), table);
    }
    byName.putIfAbsent(normalise(table), table);
  }

  private static void add(Table table, String kind, List<Write> writes) {
    if (table != null && table.getName() != null) {
      Write write = new Write(normalise(table), kind);
      if (!writes.contains(write)) {
        writes.add(write);
      }
    }
  }

  private static String upsertKind(UpsertType type) {
    if (type == UpsertType.REPLACE || type == UpsertType.REPLACE_SET) {
      return "REPLACE INTO";
    }
    return type == UpsertType.UPSERT ? "UPSERT INTO" : "INSERT INTO";
  }

  /** Where the parser stopped, without quoting the statement (it may hold sensitive values). */
  private static String where(JSQLParserException e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof ParseException)) {
      cause = cause.getCause();
    }
    if (cause instanceof ParseException parse && parse.currentToken != null && parse.currentToken.next != null) {
      Token at = parse.currentToken.next;
      return "JSqlParser stopped at line " + at.beginLine + ", column " + at.beginColumn;
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.contains("Time out") ? "JSqlParser gave up after its time limit" : "JSqlParser failed";
  }
}
