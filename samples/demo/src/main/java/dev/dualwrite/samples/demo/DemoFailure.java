package dev.dualwrite.samples.demo;

/** A step of the demo that did not happen as it should; its message says which and why. */
final class DemoFailure extends RuntimeException {
  DemoFailure(String message) {
    super(message);
  }
}
