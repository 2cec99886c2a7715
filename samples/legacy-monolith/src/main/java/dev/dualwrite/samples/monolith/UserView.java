package dev.dualwrite.samples.monolith;

/**
 * A user as the REST API shows it, and as the read router reads it from either store: from the monolith's
 * {@link User}, or mapped from the user service's JSON.
 */
public record UserView(Long id, String name, String email) {

  static UserView of(User user) {
    return new UserView(user.getId(), user.getName(), user.getEmail());
  }
}
