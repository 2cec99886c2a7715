package dev.dualwrite.hibernate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which tables a statement text writes, as {@link WrittenTables} reads it: no database, only the parser. */
class WrittenTablesTest {

  private static String writes(String sql) {
    WrittenTables.Reading reading = WrittenTables.read(sql, false);
    assertThat(reading.problem()).as(sql).isNull();
    return reading.writes().stream().map(w -> w.table() + ":" + w.kind()).collect(Collectors.joining(" "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      update app_users set name = 'x'                                        | app_users:UPDATE
      UPDATE "Public"."App_Users" SET name = 'x'                             | app_users:UPDATE
      update `shop`.`app_users` set name = 'x'                               | app_users:UPDATE
      delete a1_0 from app_users a1_0 where a1_0.id = 10                     | app_users:DELETE FROM
      delete from app_users u1_0 where u1_0.id = 10                          | app_users:DELETE FROM
      insert into app_users as u1_0 (id) select id + 1 from app_users        | app_users:INSERT INTO
      replace into app_users (id, name) values (1, 'x')                      | app_users:REPLACE INTO
      merge into app_users u using app_audit a on u.id = a.id when matched then delete | app_users:MERGE INTO
      truncate table app_users                                               | app_users:TRUNCATE TABLE
      truncate app_audit, app_users                   | app_audit:TRUNCATE TABLE app_users:TRUNCATE TABLE
      with t as (select 25 as x) update app_users set name = 'x' where id = (select x from t) | app_users:UPDATE
      with gone as (delete from app_users returning id) select count(*) from gone | app_users:DELETE FROM
      with a as (select 1), b as (insert into app_users (id) values (1) returning id) select * from b \
          | app_users:INSERT INTO
      with u as (update app_users set name = 'x' returning id) insert into app_audit (id) select id from u \
          | app_users:UPDATE app_audit:INSERT INTO
      insert into app_audit (id) with t as (select id from app_users) select id from t | app_audit:INSERT INTO
      update app_users u join app_audit a on a.id = u.id set u.name = a.what | app_users:UPDATE
      update app_audit a join app_users u on u.id = a.id set a.what = u.name | app_audit:UPDATE
      update app_users u join app_audit a on a.id = u.id set name = a.what   | app_users:UPDATE app_audit:UPDATE
      update app_users u, app_audit a set u.name = a.what, a.what = u.name   | app_users:UPDATE app_audit:UPDATE
      update app_audit a join (app_users u join app_teams t on t.id = u.team_id) on u.id = a.id set u.name = 'x' \
          | app_users:UPDATE
      delete u from app_users u join app_audit a on a.id = u.id              | app_users:DELETE FROM
      delete a from app_audit a join app_users u on u.id = a.id              | app_audit:DELETE FROM
      delete u, a from app_users u join app_audit a on a.id = u.id | app_users:DELETE FROM app_audit:DELETE FROM
      update app_audit a set what = u.name from app_users u where u.id = a.id | app_audit:UPDATE
      delete from app_audit a using app_users u where u.id = a.id            | app_audit:DELETE FROM
      /* job */ -- nightly\\n update /* x */ app_users set name = 'x'         | app_users:UPDATE
      update app_audit set what = 'x'; delete from app_users                 | app_audit:UPDATE app_users:DELETE FROM
      insert into dualwrite_outbox (entity) values ('users')                | dualwrite_outbox:INSERT INTO
      """)
  void findsTheTablesAStatementWrites(String sql, String expected) {
    assertThat(writes(sql.replace("\\n", "\n"))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      select * from app_users
      select u1_0.id from app_users u1_0 where u1_0.id = ? for no key update
      select name from app_users where id in (select id from app_audit) for update skip locked
      with t as (select id from app_users) select * from t
      select id from app_users union all select id from app_audit
      create index app_users_name on app_users (name)
      """)
  void findsNoWriteInQueriesAndSchemaChanges(String sql) {
    assertThat(writes(sql)).isEmpty();
  }

  @Test
  void readsBackslashEscapesOnlyWhenTheDatabaseHasThem() {
    String mysql = "update app_users set name = 'it\\'s' where id = 10";

    assertThat(WrittenTables.read(mysql, true).writes())
        .containsExactly(new WrittenTables.Write("app_users", "UPDATE"));
    assertThat(WrittenTables.read(mysql, false).parsed()).isFalse();
  }

  @Test
  void saysWhereItCouldNotParseWithoutQuotingTheStatement() {
    WrittenTables.Reading reading = WrittenTables.read("update only app_users set email = 'secret@example.com'", false);

    assertThat(reading.parsed()).isFalse();
    assertThat(reading.writes()).isEmpty();
    assertThat(reading.problem()).isEqualTo("JSqlParser stopped at line 1, column 1").doesNotContain("secret");
  }

  @Test
  void blankTextWritesNothing() {
    assertThat(WrittenTables.read("", false)).isEqualTo(new WrittenTables.Reading(List.of(), null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      select name from app_users lock in share mode                  | true
      /* report */ (select name from app_users for update) limit 1  | true
      -- report\\n select name from app_users for no key update      | true
      SELECT name FROM app_users FOR UPDATE                          | true
      select name from final table (update app_users set name = 'x') | false
      select name from app_users; delete from app_users              | false
      select replace(name, 'a', 'b') from app_users                  | false
      select name from old table (delete from app_users)             | false
      update only app_users set name = 'x'                           | false
      truncate table app_users restart identity                      | false
      with t as (delete from app_users returning *) select * from t  | false
      explain analyze delete from app_users                          | false
      """)
  void aPlainSelectStartsWithSelectAndNamesNoWritingKeyword(String sql, boolean plain) {
    assertThat(WrittenTables.isPlainSelect(sql.replace("\\n", "\n"))).isEqualTo(plain);
  }
}
