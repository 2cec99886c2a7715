package dev.dualwrite.verify.internal;

import dev.dualwrite.DualWriteException;
import dev.dualwrite.target.ListingOrder;
import dev.dualwrite.target.TargetDocument;
import dev.dualwrite.target.TargetPage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The new service's listing, walked beside the legacy chunks when legacy scans in the listing order: {@link #through}
 * hands out the listed documents up to a legacy chunk's last key, for one chunk after the other while the chunks a node
 * claims follow each other (a new walk starts where a chunk claimed after another node's begins). The next page is requested as soon as the previous
 * one arrives ({@link ReadAhead}), so the service answers while the legacy chunk is read and compared; at most two
 * pages are held. Used by one verification run on one thread; {@link #close} stops the reader.
 */
final class ListingWalk implements AutoCloseable {
  private final ServiceReads reads;
  private final String entity;
  private final String resource;
  private final int pageSize;
  private final ReadAhead<TargetPage> pages;
  private final ArrayDeque<TargetDocument> ahead = new ArrayDeque<>();
  private String requestedAfter;

  /** Starts reading the listing after {@code after} ({@code null}: from the beginning). */
  ListingWalk(ServiceReads reads, String entity, String resource, String after, int pageSize) {
    this.reads = reads;
    this.entity = entity;
    this.resource = resource;
    this.pageSize = pageSize;
    this.pages = new ReadAhead<>("dualwrite-verify-listing-" + entity);
    request(after);
  }

  /**
   * The next listed documents, at most {@code max}, after those already handed out and up to and including
   * {@code last} in the listing order, in that order; empty when none is left up to {@code last}. Call again until it
   * answers empty: a service may list any number of ids between two legacy keys.
   *
   * @throws DualWriteException when the service fails to answer (after the retries of {@link ServiceReads}), or
   *     answers a {@code next} that does not move forward
   */
  List<TargetDocument> through(String last, int max) {
    List<TargetDocument> taken = new ArrayList<>();
    while (true) {
      while (taken.size() < max && !ahead.isEmpty()
          && ListingOrder.INSTANCE.compare(ahead.peekFirst().id(), last) <= 0) {
        taken.add(ahead.pollFirst());
      }
      if (taken.size() == max || !ahead.isEmpty() || !pages.started()) {
        return taken;
      }
      TargetPage page = pages.take();
      ahead.addAll(page.items());
      if (page.next() != null && !page.items().isEmpty()) {
        if (page.next().equals(requestedAfter)) {
          throw stalled(entity, resource, requestedAfter, page.next());
        }
        request(page.next());
      }
    }
  }

  private void request(String after) {
    requestedAfter = after;
    pages.start(() -> reads.list(after, pageSize));
  }

  /** The error for a listing whose {@code next} does not move past {@code after}. */
  static DualWriteException stalled(String entity, String resource, String after, String next) {
    return new DualWriteException("verify " + entity + ": the new service's listing of /" + resource + " answered next="
        + next + " for after=" + after + "; a listing must move forward (see docs/protocol.md, listing). The run is"
        + " kept; fix the service and verify again.");
  }

  @Override
  public void close() {
    pages.close();
  }
}
