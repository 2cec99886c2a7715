/** The relay's delivery loops, backoff and error redaction. Not for direct use. */
package dev.dualwrite.relay.internal;
