/**
 * The differences between the Hibernate ORM lines dualwrite runs on (6.6 and 7.x), one small adapter per line, and
 * the check that refuses any other version with a message naming it. Not for direct use.
 */
package dev.dualwrite.hibernate.internal.orm;
