package dev.dualwrite.samples.monolith;

/**
 * An order as the REST API shows it, with its user's name read through the legacy join (orders to users): what keeps
 * working while users move, because the new service's changes to users are synced back into legacy.
 */
public record OrderView(Long id, Long userId, String userName, String item, long amountCents) {

  static OrderView of(Order order) {
    return new OrderView(order.getId(), order.getUser().getId(), order.getUser().getName(), order.getItem(),
        order.getAmountCents());
  }
}
