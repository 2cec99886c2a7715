package dev.dualwrite.samples.monolith;

import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users in the monolith's database, one transaction per call. dualwrite mirrors what each call commits. */
@Service
@Transactional
public class UserService {
  private final UserRepository users;
  private final OrderRepository orders;

  UserService(UserRepository users, OrderRepository orders) {
    this.users = users;
    this.orders = orders;
  }

  public UserView create(UserForm form) {
    return UserView.of(users.save(new User(form.name(), form.email())));
  }

  /** Changes the user's name and email; empty when there is no such user. */
  public Optional<UserView> update(long id, UserForm form) {
    return users.findById(id).map(user -> {
      user.rename(form.name(), form.email());
      return UserView.of(user);
    });
  }

  /** Deletes the user and the orders they placed; false when there is no such user. */
  public boolean delete(long id) {
    Optional<User> user = users.findById(id);
    user.ifPresent(found -> {
      orders.deleteAll(orders.findByUser(found));
      users.delete(found);
    });
    return user.isPresent();
  }

  /**
   * The user as the monolith's database holds it, or null: the legacy side of the user read router. Runs in a
   * transaction of its own, as the router may call it on one of its own threads.
   */
  @Transactional(readOnly = true)
  public UserView find(Long id) {
    return users.findById(id).map(UserView::of).orElse(null);
  }
}
