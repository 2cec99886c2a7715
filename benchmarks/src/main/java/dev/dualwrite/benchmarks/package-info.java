/** The benchmark harness: each figure of the design's performance table, printed as {@code <name> <value> <unit>}. */
package dev.dualwrite.benchmarks;
