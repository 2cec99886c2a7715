/** The OkHttp implementation of the mirror protocol v1. Not for direct use. */
package dev.dualwrite.target.internal;
