/** Extension point for reaching the new service: {@link dev.dualwrite.target.spi.TargetClient}. */
package dev.dualwrite.target.spi;
