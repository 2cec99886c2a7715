package dev.dualwrite.read.internal;

/**
 * Places each key in one of {@value #BUCKETS} buckets by a stable hash, so that a canary of p % is the keys in the
 * first {@code p * 100} buckets: a key's bucket never changes (across nodes, restarts and versions of this library),
 * and raising p only adds keys. The hash is 64-bit FNV-1a over the key's UTF-16 chars, seeded with the entity's name,
 * then MurmurHash3's 64-bit finaliser for an even spread of sequential ids. Allocates nothing.
 */
final class CanaryHash {
  /** Buckets: a canary percentage counts in steps of 0.01 %. */
  static final int BUCKETS = 10_000;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private CanaryHash() {}

  /** The seed for an entity: the FNV-1a hash of its name, so that each entity has its own canary keys. */
  static long seed(String entity) {
    return fnv(FNV_OFFSET, entity);
  }

  /** The key's bucket, from 0 to {@value #BUCKETS} - 1. */
  static int bucket(long seed, String key) {
    long h = fnv(seed, key);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, BUCKETS);
  }

  /** Whether the key is among the {@code percent} % of canary keys. */
  static boolean inCanary(long seed, String key, double percent) {
    return bucket(seed, key) < Math.round(percent * (BUCKETS / 100));
  }

  private static long fnv(long start, String text) {
    long h = start;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= FNV_PRIME;
    }
    return h;
  }
}
