/**
 * The tech lead's command line: {@code status}, {@code phase}, {@code history}, {@code backfill}, {@code verify} and
 * {@code dead-letters}, run against the monolith's database. Entry point {@link dev.dualwrite.cli.DualWriteCli}.
 */
package dev.dualwrite.cli;
