/** Micrometer meters for dualwrite's mirror: per-entity counters, outbox backlog and age, dead letters, phase. */
package dev.dualwrite.spring.metrics;
