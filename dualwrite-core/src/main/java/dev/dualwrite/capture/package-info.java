/**
 * The seam between persistence frameworks and dualwrite: {@link dev.dualwrite.capture.ChangeCapture} records entity
 * changes in the outbox inside the application's transaction.
 */
package dev.dualwrite.capture;
