package dev.dualwrite.samples.monolith;

/** The body of a request that creates or changes a user. */
public record UserForm(String name, String email) {}
