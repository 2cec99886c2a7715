package dev.dualwrite.test.db;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.AssertionFailedError;

/**
 * Expands a {@link DatabaseTest} method into one invocation per database, and hands each a {@link TestDatabase} of the
 * test class's own. Registered by {@link DatabaseTest}; not used directly.
 */
public final class DatabaseTestExtension implements TestTemplateInvocationContextProvider {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DatabaseTestExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.isAnnotationPresent(DatabaseTest.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    return Arrays.stream(method.getAnnotation(DatabaseTest.class).value()).map(Invocation::new);
  }

  /** One database's run of the test method. */
  private static final class Invocation implements TestTemplateInvocationContext {
    private final DatabaseKind kind;
    private final DatabaseServers.Availability availability;

    Invocation(DatabaseKind kind) {
      this.kind = kind;
      this.availability = DatabaseServers.availability(kind);
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      if (availability instanceof DatabaseServers.Available available) {
        return "[" + kind.displayName() + " " + available.server().version() + "]";
      }
      return "[" + kind.displayName() + ", no server]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Condition(), new Resolver());
    }

    /** Skips (or, on CI, fails) the invocation when its server is not there. */
    private final class Condition implements ExecutionCondition {
      @Override
      public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (availability instanceof DatabaseServers.Unavailable unavailable && !unavailable.failing()) {
          return ConditionEvaluationResult.disabled(unavailable.reason());
        }
        return ConditionEvaluationResult.enabled(kind.displayName() + " server available");
      }
    }

    /** Resolves the {@link TestDatabase} parameter, creating the class's schema on first use. */
    private final class Resolver implements ParameterResolver {
      @Override
      public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
      }

      @Override
      public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (availability instanceof DatabaseServers.Unavailable unavailable) {
          throw new AssertionFailedError(unavailable.reason());
        }
        DatabaseServers.Server server = ((DatabaseServers.Available) availability).server();
        ExtensionContext classContext = classContext(extensionContext);
        return classContext
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                kind,
                k -> server.createIsolated(classContext.getRequiredTestClass().getSimpleName()),
                TestDatabase.class);
      }

      private ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
          c = c.getParent().get();
        }
        return c;
      }
    }
  }
}
