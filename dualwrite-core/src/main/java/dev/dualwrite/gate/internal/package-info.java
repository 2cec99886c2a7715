/** The built-in gates, the evidence they read from dualwrite's tables, and the shadow comparison log. */
package dev.dualwrite.gate.internal;
