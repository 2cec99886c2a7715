package dev.dualwrite.spring.tracing;

import dev.dualwrite.trace.Traceparent;
import dev.dualwrite.trace.spi.Tracing;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sets the {@code traceparent} header of each request of the new service's HTTP client to the context current on the
 * calling thread: in a relay delivery that is the delivery's span (a child of the writing transaction's), in the read
 * router's and the write-through's calls the application request's. A request made with nothing current keeps what
 * the client put there (a change's stored context). An OkHttp {@link Interceptor} for
 * {@link dev.dualwrite.target.HttpTargetClientBuilder#withInterceptor}. Thread-safe.
 */
public final class TraceparentHeader implements Interceptor {
  private final Tracing tracing;

  public TraceparentHeader(Tracing tracing) {
    this.tracing = Objects.requireNonNull(tracing, "tracing");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Traceparent current = tracing.current();
    if (current == null) {
      return chain.proceed(request);
    }
    return chain.proceed(request.newBuilder().header(Traceparent.HEADER, current.toString()).build());
  }
}
