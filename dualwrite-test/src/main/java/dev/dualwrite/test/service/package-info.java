/**
 * The reference mirror service: {@link dev.dualwrite.test.service.ReferenceMirrorService} implements the mirror
 * protocol v1 ({@code docs/protocol.md}) over real HTTP on loopback with an in-memory store, for end-to-end tests,
 * benchmarks and users' own tests. It can be inspected ({@link dev.dualwrite.test.service.StoredDocument}), planted,
 * stopped and restarted, and told to answer slowly or fail.
 */
package dev.dualwrite.test.service;
