/** What a node lends the parts built on it ({@link dev.dualwrite.internal.NodeServices}), and dualwrite's threads. */
package dev.dualwrite.internal;
