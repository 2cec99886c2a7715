package dev.dualwrite.samples.userservice;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The service's own API for users, as its own clients call it once it owns them: {@code PUT}, {@code GET} and
 * {@code DELETE /api/users/{id}}. Each write takes a version above the one held and is in the change feed with
 * origin {@code service}, so the monolith's reverse sync sees it.
 */
@RestController
@RequestMapping("/api/users")
class UsersController {
  private static final String RESOURCE = "users";

  private final DocumentStore store;
  private final ObjectMapper json;

  UsersController(DocumentStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  @PutMapping("/{id}")
  ResponseEntity<Map<String, Object>> put(@PathVariable String id, @RequestBody JsonNode user) {
    if (!user.isObject()) {
      return ResponseEntity.badRequest().body(Map.of("error", "the body must be a JSON object: the user"));
    }
    DocumentStore.Outcome written = store.writeOwn(RESOURCE, id, json.writeValueAsString(user));
    return ResponseEntity.ok(Map.of("id", id, "version", written.version()));
  }

  @GetMapping("/{id}")
  ResponseEntity<Map<String, Object>> get(@PathVariable String id) {
    return store.find(RESOURCE, id).filter(d -> !d.deleted())
        .map(d -> {
          Map<String, Object> user = new LinkedHashMap<>();
          user.put("id", id);
          user.put("version", d.version());
          user.put("user", json.readTree(d.data()));
          return ResponseEntity.ok(user);
        })
        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("id", id)));
  }

  @DeleteMapping("/{id}")
  Map<String, Object> delete(@PathVariable String id) {
    return Map.of("id", id, "version", store.writeOwn(RESOURCE, id, null).version());
  }
}
