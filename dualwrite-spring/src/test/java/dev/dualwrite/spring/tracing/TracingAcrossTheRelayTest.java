package dev.dualwrite.spring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.DualWrite;
import dev.dualwrite.phase.MigrationPhase;
import dev.dualwrite.spring.app.Customer;
import dev.dualwrite.spring.app.CustomerRepository;
import dev.dualwrite.spring.app.RunningMonolith;
import dev.dualwrite.spring.app.Tier;
import dev.dualwrite.test.db.DatabaseTest;
import dev.dualwrite.test.db.TestDatabase;
import dev.dualwrite.test.service.ReferenceMirrorService;
import dev.dualwrite.trace.ObservedWork;
import dev.dualwrite.trace.Traceparent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One trace from a request that writes a customer to the new service's side of the mirrored write, minutes apart in
 * a real deployment: the monolith traces with Spring Boot's own OpenTelemetry setup (spans kept in memory), a client
 * calls it with a {@code traceparent}, and the relay's delivery and the reference service's request are in that
 * trace, the delivery a child of the request's span and the parent of the service's request.
 */
class TracingAcrossTheRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** The calling client's trace context: its trace id is the one to find on the far side of the relay. */
  private static final Traceparent CLIENT =
      Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").orElseThrow();

  @RegisterExtension final ReferenceMirrorService service = ReferenceMirrorService.start();

  @DatabaseTest
  void aTracedRequestsTraceIdReachesTheNewServiceThroughTheRelaysDelivery(TestDatabase db) throws Exception {
    try (RunningMonolith app = RunningMonolith.start(db, service, new Class<?>[] {TracedMonolith.class},
        "management.tracing.sampling.probability=1.0")) {
      app.bean(DualWrite.class).phases().move("customers", MigrationPhase.DUAL_WRITE, "test", "start mirroring");
      InMemorySpanExporter spans = app.bean(InMemorySpanExporter.class);

      HttpResponse<String> signedUp = HTTP.send(HttpRequest.newBuilder(app.base().resolve("sign-up?name=Ada"))
          .header(Traceparent.HEADER, CLIENT.toString()).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(signedUp.statusCode()).isEqualTo(200);
      String id = signedUp.body();

      await().atMost(WAIT).until(() -> service.document("customers", id).isPresent());
      Traceparent received = Traceparent.parse(service.traceparent("customers", id).orElseThrow()).orElseThrow();
      assertThat(received.traceId()).as("the trace id on the new service's side").isEqualTo(CLIENT.traceId());

      await().atMost(WAIT).untilAsserted(() -> {
        SpanData delivery = span(spans, ObservedWork.RELAY_DELIVERY.observationName());
        SpanData request = spans.getFinishedSpanItems().stream()
            .filter(s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(CLIENT.spanId()))
            .findFirst().orElseThrow(() -> new AssertionError("no server span of the sign-up request"));
        assertThat(delivery.getTraceId()).as("the relay's delivery observation").isEqualTo(CLIENT.traceId());
        assertThat(request.getTraceId()).isEqualTo(CLIENT.traceId());
        assertThat(delivery.getParentSpanId()).as("the delivery continues the writing request's span")
            .isEqualTo(request.getSpanId());
        assertThat(received.spanId()).as("the service's request is the delivery's child")
            .isEqualTo(delivery.getSpanId());
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("entity"))).isEqualTo("customers");
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("delivered");
      });
    }
  }

  private static SpanData span(InMemorySpanExporter spans, String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " among " + spans.getFinishedSpanItems().stream()
            .map(SpanData::getName).toList()));
  }

  /** The monolith's sign-up page, and where its spans go: memory. */
  @Configuration(proxyBeanMethods = false)
  @Import(SignUp.class)
  static class TracedMonolith {
    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }
  }

  /** {@code POST /sign-up?name=...}: saves a customer, answers its id. */
  @RestController
  static class SignUp {
    private final CustomerRepository customers;

    SignUp(CustomerRepository customers) {
      this.customers = customers;
    }

    @PostMapping("/sign-up")
    String signUp(@RequestParam String name) {
      return customers.save(new Customer(name, name.toLowerCase() + "@example.com", Tier.GOLD)).getId().toString();
    }
  }
}
