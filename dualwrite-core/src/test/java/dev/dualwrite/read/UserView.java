package dev.dualwrite.read;

/** What the tests read: the shape of the new service's {@code users} documents. */
record UserView(long id, String email, String name) {}
