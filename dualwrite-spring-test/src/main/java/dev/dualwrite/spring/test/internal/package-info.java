/** The TestContext framework's side of {@link dev.dualwrite.spring.test.AutoConfigureDualWrite}; not an API. */
package dev.dualwrite.spring.test.internal;
