package dev.dualwrite.relay.internal;

import dev.dualwrite.outbox.OutboxEntry;
import dev.dualwrite.target.DeliveryResult;
import dev.dualwrite.target.spi.TargetClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A target client that answers each delivery with the next scripted answer, and remembers the batches it was sent.
 * Running out of answers fails the test.
 */
final class ScriptedTargetClient implements TargetClient {
  private final Deque<Function<List<OutboxEntry>, List<DeliveryResult>>> answers = new ArrayDeque<>();
  private final List<List<OutboxEntry>> batches = new ArrayList<>();

  /** Answers the next delivery with {@code answer}, which may also throw. */
  ScriptedTargetClient enqueue(Function<List<OutboxEntry>, List<DeliveryResult>> answer) {
    answers.add(answer);
    return this;
  }

  /** Answers the next delivery with {@code result} for every change sent. */
  ScriptedTargetClient enqueueForEach(DeliveryResult result) {
    return enqueue(batch -> batch.stream().map(change -> result).toList());
  }

  /** The batches delivered so far, in order. */
  List<List<OutboxEntry>> batches() {
    return batches;
  }

  @Override
  public List<DeliveryResult> deliver(List<OutboxEntry> changes) {
    batches.add(List.copyOf(changes));
    if (answers.isEmpty()) {
      throw new AssertionError("unscripted delivery of " + changes.size() + " change(s)");
    }
    return answers.poll().apply(changes);
  }
}
