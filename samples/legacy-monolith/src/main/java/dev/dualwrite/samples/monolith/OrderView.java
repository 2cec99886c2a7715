package dev.dualwrite.samples.monolith;

/** An order as the REST API shows it. */
public record OrderView(Long id, Long userId, String item, long amountCents) {

  static OrderView of(Order order) {
    return new OrderView(order.getId(), order.getUser().getId(), order.getItem(), order.getAmountCents());
  }
}
