package dev.dualwrite.samples.userservice;

/**
 * What the store holds for one (resource, id).
 *
 * @param id the id
 * @param version the version held
 * @param deleted whether it is a tombstone
 * @param data the entity as JSON text, null for a tombstone
 */
record Document(String id, long version, boolean deleted, String data) {}
