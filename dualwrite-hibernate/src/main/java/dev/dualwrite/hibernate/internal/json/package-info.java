/**
 * How snapshots become JSON on either Jackson line: one small writer over a Jackson 2 {@code ObjectMapper}, one over a
 * Jackson 3 {@code ObjectMapper} ({@code JsonMapper}). Not for direct use.
 */
package dev.dualwrite.hibernate.internal.json;
