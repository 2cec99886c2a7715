package dev.dualwrite.hibernate;

import static dev.dualwrite.phase.MigrationPhase.DUAL_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.hibernate.DualWriteTables.OutboxRow;
import dev.dualwrite.hibernate.entities.Note;
import dev.dualwrite.hibernate.entities.Team;
import dev.dualwrite.hibernate.entities.User;
import dev.dualwrite.legacy.LegacyRow;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.legacy.RowLock;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import java.time.LocalDate;
import java.util.List;

/** The Hibernate legacy source reads rows as the live write path would send them. */
class HibernateLegacySourceTest {

  @DatabaseTest
  void rowsCarryTheSnapshotAndVersionALiveWriteSendsByteForByte(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      app.moveTo("users", DUAL_WRITE);
      app.moveTo("notes", DUAL_WRITE);
      app.sessions.inTransaction(s -> {
        s.persist(new Team(7, "core"));
        User user = new User(1, "ada@example.com", "Ada");
        user.setPasswordHash("never-mirrored");
        user.setBirthday(LocalDate.of(1815, 12, 10));
        user.setTeam(s.getReference(Team.class, 7L));
        s.persist(user);
        s.persist(new Note(5, "hello"));
      });
      app.sessions.inTransaction(s -> s.find(User.class, 1L).setName("Ada Lovelace"));
      LegacySource users = DualWriteHibernate.legacySource(app.sessions, "users");
      LegacySource notes = DualWriteHibernate.legacySource(app.sessions, "notes");

      List<LegacyRow> user = users.inTransaction(tx -> tx.read(List.of("1"), RowLock.NONE));
      List<LegacyRow> note = notes.inTransaction(tx -> tx.read(List.of("5"), RowLock.SHARED));

      OutboxRow liveUser = DualWriteTables.lastOutboxRow(db, "users", "1");
      assertThat(user).containsExactly(new LegacyRow("1", liveUser.payload()));
      assertThat(note).containsExactly(new LegacyRow("5", DualWriteTables.lastOutboxRow(db, "notes", "5")
          .payload()));
    }
  }

  @DatabaseTest
  void scansPageInKeyOrderAfterAnIdAndCountWhatIsLeft(TestDatabase db) throws Exception {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      LegacyRows.insertNotes(db, 1, 25);
      LegacySource notes = DualWriteHibernate.legacySource(app.sessions, "notes");

      List<LegacyRow> first = notes.inTransaction(tx -> tx.scan(null, null, 10, RowLock.NONE));
      List<LegacyRow> third = notes.inTransaction(tx -> tx.scan("20", null, 10, RowLock.SHARED));
      long left = notes.inTransaction(tx -> tx.countAfter("20"));

      assertThat(first).extracting(LegacyRow::id).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
      assertThat(third).extracting(LegacyRow::id).containsExactly("21", "22", "23", "24", "25");
      assertThat(left).isEqualTo(5);
      long all = notes.inTransaction(tx -> tx.countAfter(null));
      assertThat(all).isEqualTo(25);
      assertThatThrownBy(() -> notes.inTransaction(tx -> tx.scan("twenty", null, 10, RowLock.NONE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'twenty' is not an id of notes");
    }
  }

  @DatabaseTest
  void anEntityThatIsNotMirroredIsRefusedNamingTheMirroredOnes(TestDatabase db) {
    DualWriteTables.reset(db);
    try (MirrorFixture app = MirrorFixture.start(db, null)) {
      assertThatThrownBy(() -> DualWriteHibernate.legacySource(app.sessions, "audits"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no entity of this session factory is @Mirrored(\"audits\"); mirrored entities: [aliases,"
              + " gadgets, logins, notes, shipments, users]");
    }
  }
}
