package dev.dualwrite.target;

import java.util.List;

/**
 * A page of a resource's change feed. Immutable.
 *
 * @param items the changes after the cursor asked for, in the order the service applied them
 * @param next the cursor to read on from: the last item's, or the one asked for when there are none (null when the
 *     feed is empty and none was given)
 * @param head the cursor of the newest change the feed holds, or null when it holds none
 */
public record FeedPage(List<FeedChange> items, String next, String head) {
  public FeedPage {
    items = List.copyOf(items);
  }
}
