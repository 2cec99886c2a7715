package dev.dualwrite.samples.monolith;

/** The body of a request that places or changes an order; {@code userId} is ignored on a change. */
public record OrderForm(Long userId, String item, long amountCents) {}
