package dev.dualwrite.legacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.legacy.StubLegacySource;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LegacyTransactionsTest {

  @Test
  void aTransactionTheDatabaseAbortedIsRetried() {
    AtomicInteger attempts = new AtomicInteger();
    LegacyTransactions transactions = new LegacyTransactions(new StubLegacySource("users", () -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("wrapped by the ORM", new SQLException("deadlock detected", "40P01"));
      }
    }));

    String result = transactions.run("a chunk", tx -> "done");

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void mariaDbsLockWaitTimeoutIsRetriedToo() {
    AtomicInteger attempts = new AtomicInteger();
    LegacyTransactions transactions = new LegacyTransactions(new StubLegacySource("users", () -> {
      if (attempts.incrementAndGet() == 1) {
        throw new SQLException("Lock wait timeout exceeded", "HY000", 1205);
      }
    }));

    int result = transactions.run("a chunk", tx -> 1);

    assertThat(result).isEqualTo(1);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void otherFailuresAreNotRetriedAndNameTheEntityAndTheWork() {
    AtomicInteger attempts = new AtomicInteger();
    LegacyTransactions transactions = new LegacyTransactions(new StubLegacySource("users", () -> {
      attempts.incrementAndGet();
      throw new SQLException("relation \"app_users\" does not exist", "42P01");
    }));

    assertThatThrownBy(() -> transactions.run("backfill chunk after id 42", tx -> 1))
        .isInstanceOf(DualWriteException.class)
        .hasMessage("users: backfill chunk after id 42 failed on the legacy database: java.sql.SQLException:"
            + " relation \"app_users\" does not exist");
    assertThat(attempts).hasValue(1);
  }
}
