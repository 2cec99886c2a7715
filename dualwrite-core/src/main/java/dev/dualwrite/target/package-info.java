/**
 * The new service as seen from the monolith: {@link dev.dualwrite.target.HttpTargetClient}, the OkHttp client of the
 * mirror protocol v1, and what a delivery can come to.
 */
package dev.dualwrite.target;
