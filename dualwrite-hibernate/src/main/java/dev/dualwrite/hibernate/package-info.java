/** Hibernate ORM integration: marks entities for mirroring and captures their writes into the outbox. */
package dev.dualwrite.hibernate;
