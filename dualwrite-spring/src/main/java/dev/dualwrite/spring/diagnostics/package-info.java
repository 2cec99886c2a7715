/** Spring Boot failure analyzers: what to do when dualwrite cannot start, in the "APPLICATION FAILED TO START" report. */
package dev.dualwrite.spring.diagnostics;
