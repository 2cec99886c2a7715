/**
 * The outbox: changes to mirror, stored in the monolith's database in the same transaction as the entity change,
 * with their backlog and dead letters. {@link dev.dualwrite.outbox.Outbox} is the operator's view;
 * {@link dev.dualwrite.outbox.Change} is what capture appends.
 */
package dev.dualwrite.outbox;
