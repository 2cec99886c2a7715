package dev.dualwrite.samples.userservice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The mirror protocol v1 endpoints (docs/protocol.md) under {@code /mirror}. */
@RestController
@RequestMapping("/mirror/v1")
class MirrorController {
  private static final int MAX_ITEMS = 1000;
  private static final String EXPECTED_VERSION = "Dualwrite-Expected-Version";

  private final DocumentStore store;
  private final ObjectMapper json;

  MirrorController(DocumentStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  @PutMapping("/{resource}/{id}")
  ResponseEntity<Map<String, Object>> upsert(@PathVariable String resource, @PathVariable String id,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestHeader("Dualwrite-Entity-Version") String version,
      @RequestHeader(value = EXPECTED_VERSION, required = false) String expected, @RequestBody JsonNode data) {
    if (!data.isObject()) {
      throw new BadRequest("the body must be a JSON object: the entity's snapshot");
    }
    return write(resource, id, version(version), json.writeValueAsString(data), expected);
  }

  /** A write, conditional when the request carries {@value #EXPECTED_VERSION}: 412 when another version is held. */
  private ResponseEntity<Map<String, Object>> write(String resource, String id, long version, String data,
      String expected) {
    if (expected == null) {
      return ResponseEntity.ok(outcome(store.write(resource, id, version, data)));
    }
    String condition = expected.strip();
    if (!condition.equals("none") && !condition.equals("mirror") && !condition.matches("[0-9]{1,19}")) {
      throw new BadRequest("header " + EXPECTED_VERSION + " must be a whole number >= 0, none or mirror, not '"
          + expected + "'");
    }
    Optional<DocumentStore.Outcome> written = store.writeIf(resource, id, version, data, condition);
    if (written.isPresent()) {
      return ResponseEntity.ok(outcome(written.get()));
    }
    Map<String, Object> refused = new LinkedHashMap<>();
    Optional<Document> held = store.find(resource, id);
    refused.put("error", resource + " " + id + ": " + EXPECTED_VERSION + " is " + expected + " but the service holds "
        + held.map(d -> "version " + d.version()).orElse("nothing"));
    held.ifPresent(d -> {
      refused.put("version", d.version());
      refused.put("origin", store.origin(resource, id));
    });
    return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).body(refused);
  }

  @DeleteMapping("/{resource}/{id}")
  ResponseEntity<Map<String, Object>> delete(@PathVariable String resource, @PathVariable String id,
      @RequestHeader("Idempotency-Key") String idempotencyKey,
      @RequestHeader("Dualwrite-Entity-Version") String version,
      @RequestHeader(value = EXPECTED_VERSION, required = false) String expected) {
    return write(resource, id, version(version), null, expected);
  }

  @PostMapping("/_batch")
  Map<String, Object> batch(@RequestBody JsonNode body) {
    JsonNode changes = body.path("changes");
    if (!changes.isArray() || changes.size() > MAX_ITEMS) {
      throw new BadRequest("\"changes\" must be an array of at most " + MAX_ITEMS + " changes");
    }
    List<Map<String, Object>> results = new ArrayList<>(changes.size());
    for (JsonNode change : changes) {
      results.add(applyOne(change));
    }
    return Map.of("results", results);
  }

  private Map<String, Object> applyOne(JsonNode change) {
    String resource = change.path("resource").asString("");
    String id = change.path("id").asString("");
    String operation = change.path("operation").asString("");
    JsonNode data = change.path("data");
    if (resource.isEmpty() || id.isEmpty() || !change.path("version").canConvertToLong()
        || change.path("version").asLong() < 0) {
      return rejected("each change needs a resource, an id and a version >= 0");
    }
    long version = change.path("version").asLong();
    return switch (operation) {
      case "UPSERT" -> data.isObject() ? outcome(store.write(resource, id, version, json.writeValueAsString(data)))
          : rejected("an UPSERT needs an object \"data\"");
      case "DELETE" -> outcome(store.write(resource, id, version, null));
      default -> rejected("operation must be UPSERT or DELETE, not '" + operation + "'");
    };
  }

  @GetMapping("/{resource}/{id}")
  ResponseEntity<Map<String, Object>> get(@PathVariable String resource, @PathVariable String id) {
    Optional<Document> held = store.find(resource, id);
    if (held.isEmpty()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("id", id));
    }
    Document doc = held.get();
    if (doc.deleted()) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND)
          .body(Map.of("id", id, "version", doc.version(), "deleted", true, "origin", store.origin(resource, id)));
    }
    Map<String, Object> item = item(doc);
    item.put("origin", store.origin(resource, id));
    return ResponseEntity.ok(item);
  }

  @PostMapping("/{resource}/_get")
  Map<String, Object> getMany(@PathVariable String resource, @RequestBody JsonNode body) {
    JsonNode ids = body.path("ids");
    if (!ids.isArray() || ids.size() > MAX_ITEMS) {
      throw new BadRequest("\"ids\" must be an array of at most " + MAX_ITEMS + " ids");
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (JsonNode id : ids) {
      store.find(resource, id.asString()).filter(d -> !d.deleted()).ifPresent(d -> items.add(item(d)));
    }
    return Map.of("items", items);
  }

  @GetMapping("/_changes/{resource}")
  Map<String, Object> changes(@PathVariable String resource, @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > MAX_ITEMS) {
      throw new BadRequest("limit must be from 1 to " + MAX_ITEMS);
    }
    long from = after == null || after.isEmpty() ? 0 : cursor(after);
    long head = store.head(resource);
    if (from > head) {
      throw new BadRequest("after is " + after + ", beyond the newest change (" + head + "); pass a cursor this"
          + " service answered as next");
    }
    List<Map<String, Object>> items = new ArrayList<>();
    long next = from;
    for (DocumentStore.Change change : store.changes(resource, from, limit)) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("cursor", Long.toString(change.position()));
      item.put("id", change.id());
      item.put("version", change.version());
      item.put("operation", change.deleted() ? "DELETE" : "UPSERT");
      item.put("origin", change.origin());
      item.put("at", change.appliedAt().toInstant().toString());
      if (!change.deleted()) {
        item.put("data", json.readTree(change.data()));
      }
      items.add(item);
      next = change.position();
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("items", items);
    answer.put("next", Long.toString(next));
    answer.put("head", Long.toString(head));
    return answer;
  }

  @GetMapping("/{resource}")
  Map<String, Object> list(@PathVariable String resource, @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > MAX_ITEMS) {
      throw new BadRequest("limit must be from 1 to " + MAX_ITEMS);
    }
    List<Document> page = store.list(resource, after == null || after.isEmpty() ? null : after, limit + 1);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Document doc : page.subList(0, Math.min(limit, page.size()))) {
      items.add(item(doc));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("items", items);
    answer.put("next", page.size() > limit ? items.get(items.size() - 1).get("id") : null);
    return answer;
  }

  private Map<String, Object> item(Document doc) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", doc.id());
    item.put("version", doc.version());
    item.put("data", json.readTree(doc.data()));
    return item;
  }

  private static Map<String, Object> outcome(DocumentStore.Outcome outcome) {
    return Map.of("outcome", outcome.applied() ? "APPLIED" : "STALE", "version", outcome.version());
  }

  private static Map<String, Object> rejected(String why) {
    return Map.of("outcome", "REJECTED", "status", 400, "error", why);
  }

  private static long version(String header) {
    try {
      long version = Long.parseLong(header.trim());
      if (version >= 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new BadRequest("header Dualwrite-Entity-Version must be a whole number >= 0, not '" + header + "'");
  }

  private static long cursor(String after) {
    try {
      long position = Long.parseLong(after);
      if (position >= 0) {
        return position;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new BadRequest("after must be a cursor this service answered as next, not '" + after + "'");
  }

  /** A request that breaks the protocol: answered 400 with {"error": ...}. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  @ExceptionHandler(BadRequest.class)
  ResponseEntity<Map<String, Object>> badRequest(BadRequest e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }
}
