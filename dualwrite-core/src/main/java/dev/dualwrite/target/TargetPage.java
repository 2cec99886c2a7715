package dev.dualwrite.target;

import java.util.List;

/**
 * One page of the new service's key-ordered listing.
 *
 * @param items live documents in the service's key order
 * @param next the id to list after for the next page, or {@code null} when there is no more
 */
public record TargetPage(List<TargetDocument> items, String next) {
  public TargetPage {
    items = List.copyOf(items);
  }
}
