package dev.dualwrite.samples.monolith;

import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Orders in the monolith's database, one transaction per call. They are not mirrored. */
@Service
@Transactional
public class OrderService {
  private final OrderRepository orders;
  private final UserRepository users;

  OrderService(OrderRepository orders, UserRepository users) {
    this.orders = orders;
    this.users = users;
  }

  /** Places an order for the user {@code form.userId()}; empty when there is no such user. */
  public Optional<OrderView> place(OrderForm form) {
    return users.findById(form.userId())
        .map(user -> OrderView.of(orders.save(new Order(user, form.item(), form.amountCents()))));
  }

  /** Changes the order's item and amount; empty when there is no such order. */
  public Optional<OrderView> update(long id, OrderForm form) {
    return orders.findById(id).map(order -> {
      order.change(form.item(), form.amountCents());
      return OrderView.of(order);
    });
  }

  /** Deletes the order; false when there is no such order. */
  public boolean delete(long id) {
    Optional<Order> order = orders.findById(id);
    order.ifPresent(orders::delete);
    return order.isPresent();
  }

  @Transactional(readOnly = true)
  public Optional<OrderView> find(long id) {
    return orders.findById(id).map(OrderView::of);
  }
}
