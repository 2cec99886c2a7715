/**
 * The real-database test rig: {@link dev.dualwrite.test.db.DatabaseTest} runs a test once per real database
 * (PostgreSQL and MariaDB) with an isolated {@link dev.dualwrite.test.db.TestDatabase} per test class.
 */
package dev.dualwrite.test.db;
