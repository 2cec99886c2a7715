package dev.dualwrite.samples.monolith;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /orders}: plain CRUD on the monolith's database; orders are not migrated. */
@RestController
@RequestMapping("/orders")
class OrderController {
  private final OrderService orders;

  OrderController(OrderService orders) {
    this.orders = orders;
  }

  @PostMapping
  ResponseEntity<OrderView> place(@RequestBody OrderForm form) {
    if (form.userId() == null || form.item() == null || form.item().isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "an order needs a userId and an item");
    }
    OrderView placed = orders.place(form)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no user " + form.userId()));
    return ResponseEntity.created(URI.create("/orders/" + placed.id())).body(placed);
  }

  @GetMapping("/{id}")
  OrderView read(@PathVariable long id) {
    return orders.find(id).orElseThrow(() -> notFound(id));
  }

  @PutMapping("/{id}")
  OrderView update(@PathVariable long id, @RequestBody OrderForm form) {
    if (form.item() == null || form.item().isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "an order needs an item");
    }
    return orders.update(id, form).orElseThrow(() -> notFound(id));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable long id) {
    if (!orders.delete(id)) {
      throw notFound(id);
    }
    return ResponseEntity.noContent().build();
  }

  private static ResponseStatusException notFound(long id) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
  }
}
