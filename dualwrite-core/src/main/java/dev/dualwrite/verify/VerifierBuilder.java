package dev.dualwrite.verify;

import dev.dualwrite.DualWrite;
import dev.dualwrite.internal.Settings;
import dev.dualwrite.legacy.LegacySource;
import dev.dualwrite.verify.internal.DefaultVerifier;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds a {@link Verifier}. Settings are checked in {@link #build()}, which names the field, the value and what is
 * allowed. Not thread-safe; what it builds is.
 */
public final class VerifierBuilder {
  /** Default keys per chunk. */
  public static final int DEFAULT_CHUNK_SIZE = 500;
  /** The largest chunk: the mirror protocol reads at most 1000 ids at once. */
  public static final int MAX_CHUNK_SIZE = 1000;
  /** The shortest default chunk lease; a longer settle timeout lengthens it ({@link #withChunkLease}). */
  public static final Duration DEFAULT_CHUNK_LEASE = Duration.ofMinutes(2);
  /** Default settle timeout. */
  public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(30);
  /**
   * Default retries of a failed read of the new service: exponential backoff from 100 ms to 10 s with 25 % jitter, at
   * most 10 attempts and 1 minute per read.
   */
  public static final RetryPolicy<Object> DEFAULT_READ_RETRIES = RetryPolicy.builder()
      .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10))
      .withJitter(0.25)
      .withMaxAttempts(10)
      .withMaxDuration(Duration.ofMinutes(1))
      .build();

  private final DualWrite dualWrite;
  private final LegacySource source;
  int chunkSize = DEFAULT_CHUNK_SIZE;
  double sampleRate = 1;
  Duration settleTimeout = DEFAULT_SETTLE_TIMEOUT;
  int sampleLimit = 10;
  Duration chunkLease;
  RetryPolicy<Object> readRetries = DEFAULT_READ_RETRIES;
  final Set<String> ignoredFields = new LinkedHashSet<>();

  VerifierBuilder(DualWrite dualWrite, LegacySource source) {
    this.dualWrite = dualWrite;
    this.source = source;
  }

  /** Keys per chunk, from 1 to {@value #MAX_CHUNK_SIZE}; default {@value #DEFAULT_CHUNK_SIZE}. */
  public VerifierBuilder withChunkSize(int chunkSize) {
    this.chunkSize = chunkSize;
    return this;
  }

  /**
   * The share of keys to check, picked at random, from above 0 to 1; default 1 (every key). A sampled run estimates;
   * only a full run proves.
   */
  public VerifierBuilder withSampleRate(double sampleRate) {
    this.sampleRate = sampleRate;
    return this;
  }

  /**
   * How long a key with undelivered changes, or one that keeps changing, is re-checked before it is reported in
   * flight, from 0 to 1 hour; default 30 seconds. A difference is always checked a second time, and at most 8 times;
   * 0 waits for nothing.
   * A repair run also waits at most this long, per chunk, for its changes to be delivered before it reads both stores
   * again to confirm them.
   */
  public VerifierBuilder withSettleTimeout(Duration settleTimeout) {
    this.settleTimeout = settleTimeout;
    return this;
  }

  /**
   * How a read of the new service ({@code getMany}, {@code list}) that failed for a moment is tried again: no answer
   * (connection refused or reset, timeout), 5xx, 408 and 429 are retried, any other failure ends the run at once.
   * The policy's delays (fixed, random or backoff), jitter, max attempts and max duration are used; its failure
   * conditions and listeners are not. Max attempts must be finite and max duration set, at most 1 hour, so that a
   * service that stays down ends the run. Default {@link #DEFAULT_READ_RETRIES}.
   */
  public VerifierBuilder withReadRetries(RetryPolicy<Object> readRetries) {
    this.readRetries = readRetries;
    return this;
  }

  /**
   * How long a node holds a chunk of the run it claimed (and the walk of the new service's listing) before another
   * node may take it over, from 1 second to 24 hours and more than twice the settle timeout (a chunk may wait that
   * long to settle and again to confirm its repairs); default the longer of {@link #DEFAULT_CHUNK_LEASE} and twice
   * the settle timeout plus one minute. A node that dies holding a chunk delays it by at most this long; a node
   * slower than this loses the chunk to another node, which verifies it again (each key is counted once).
   */
  public VerifierBuilder withChunkLease(Duration chunkLease) {
    this.chunkLease = chunkLease;
    return this;
  }

  /** How many example keys of each kind a report keeps, from 0 to 1000; default 10. */
  public VerifierBuilder withSampleLimit(int sampleLimit) {
    this.sampleLimit = sampleLimit;
    return this;
  }

  /**
   * Snapshot fields left out of the comparison, e.g. a column the new service does not keep: top-level names
   * ({@code updatedAt}) or JSON Pointers ({@code /address/geo}), as the read router takes them. Not blank.
   */
  public VerifierBuilder withIgnoredFields(String... fields) {
    for (String field : fields) {
      if (field == null || field.isBlank()) {
        throw new IllegalArgumentException("ignoredFields of the verifier of '" + entityName() + "' holds "
            + (field == null ? "null" : "'" + field + "'") + "; allowed: non-blank field names");
      }
      ignoredFields.add(field);
    }
    return this;
  }

  /**
   * Checks the settings and builds the verifier.
   *
   * @throws IllegalArgumentException naming the field, its value and what is allowed, for the first invalid setting,
   *     or when the source's entity is not configured in {@code dualWrite}
   * @throws IllegalStateException when {@code dualWrite} has no data source or no target client
   */
  public Verifier build() {
    if (dualWrite == null) {
      throw new IllegalArgumentException("dualWrite is null; build one with DualWrite.builder()");
    }
    if (source == null) {
      throw new IllegalArgumentException("legacy source is null; for a Hibernate entity use"
          + " DualWriteHibernate.legacySource(sessionFactory, \"<entity>\")");
    }
    dualWrite.entity(source.entity());
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw invalid("chunkSize", String.valueOf(chunkSize), "1 to " + MAX_CHUNK_SIZE + " keys");
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw invalid("sampleRate", String.valueOf(sampleRate), "a fraction above 0 and at most 1 (every key)");
    }
    if (settleTimeout == null || settleTimeout.isNegative() || settleTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid("settleTimeout", String.valueOf(settleTimeout), "from 0 (PT0S) to 1 hour (PT1H)");
    }
    if (chunkLease != null && (chunkLease.compareTo(Duration.ofSeconds(1)) < 0
        || chunkLease.compareTo(Duration.ofHours(24)) > 0 || chunkLease.compareTo(settleTimeout.multipliedBy(2)) <= 0)) {
      throw invalid("chunkLease", String.valueOf(chunkLease), "from 1 second (PT1S) to 24 hours (PT24H), and more"
          + " than twice the settleTimeout (" + settleTimeout + ")");
    }
    if (sampleLimit < 0 || sampleLimit > 1000) {
      throw invalid("sampleLimit", String.valueOf(sampleLimit), "0 to 1000 keys per kind");
    }
    if (readRetries == null) {
      throw invalid("readRetries", "null", "a Failsafe RetryPolicy, e.g. VerifierBuilder.DEFAULT_READ_RETRIES");
    }
    RetryPolicyConfig<Object> retries = readRetries.getConfig();
    if (retries.getMaxAttempts() < 1) {
      throw invalid("readRetries.maxAttempts", String.valueOf(retries.getMaxAttempts()),
          "a finite number of attempts, at least 1 (RetryPolicyBuilder.withMaxAttempts)");
    }
    Duration maxDuration = retries.getMaxDuration();
    if (maxDuration == null || maxDuration.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid("readRetries.maxDuration", String.valueOf(maxDuration),
          "a total time per read up to 1 hour (RetryPolicyBuilder.withMaxDuration)");
    }
    return new DefaultVerifier(dualWrite, source, new VerifierConfig(this));
  }

  private String entityName() {
    return source == null ? "?" : source.entity();
  }

  private IllegalArgumentException invalid(String field, String value, String allowed) {
    return Settings.invalid(field + " of the verifier of '" + entityName() + "'", value, allowed);
  }
}
