/**
 * The mirror-protocol conformance kit: {@link dev.dualwrite.test.conformance.MirrorProtocolConformanceTest}, an
 * abstract JUnit 5 suite a new-service team extends with their service's base URL to check every endpoint of the
 * mirror protocol v1 and its version rule (docs/protocol.md).
 */
package dev.dualwrite.test.conformance;
