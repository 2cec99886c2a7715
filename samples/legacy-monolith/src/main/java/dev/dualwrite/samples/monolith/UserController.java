package dev.dualwrite.samples.monolith;

import dev.dualwrite.read.ByIdReader;
import dev.dualwrite.read.ReadRouter;
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

/**
 * {@code /users}: writes go to the monolith's database as always; reads go through the users' read router, which
 * serves each one from the monolith's database or from the user service as the phase of {@code users} says.
 */
@RestController
@RequestMapping("/users")
class UserController {
  private final UserService users;
  private final ByIdReader<Long, UserView> userById;

  UserController(UserService users, ReadRouter userReads) {
    this.users = users;
    this.userById = userReads.byId(UserView.class, users::find);
  }

  @PostMapping
  ResponseEntity<UserView> create(@RequestBody UserForm form) {
    UserView created = users.create(checked(form));
    return ResponseEntity.created(URI.create("/users/" + created.id())).body(created);
  }

  @GetMapping("/{id}")
  UserView read(@PathVariable long id) {
    return userById.get(id).orElseThrow(() -> notFound(id));
  }

  @PutMapping("/{id}")
  UserView update(@PathVariable long id, @RequestBody UserForm form) {
    return users.update(id, checked(form)).orElseThrow(() -> notFound(id));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable long id) {
    if (!users.delete(id)) {
      throw notFound(id);
    }
    return ResponseEntity.noContent().build();
  }

  private static UserForm checked(UserForm form) {
    if (form.name() == null || form.name().isBlank() || form.email() == null || form.email().isBlank()) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a user needs a name and an email");
    }
    return form;
  }

  private static ResponseStatusException notFound(long id) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "no user " + id);
  }
}
