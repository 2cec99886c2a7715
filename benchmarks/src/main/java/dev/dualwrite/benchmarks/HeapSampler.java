package dev.dualwrite.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The highest heap in use while it runs, sampled every 100 ms. */
final class HeapSampler implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-sampler");
    t.setDaemon(true);
    return t;
  });

  HeapSampler() {
    System.gc();
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max),
        0, 100, TimeUnit.MILLISECONDS);
  }

  /** The peak heap in use so far, in MiB. */
  double peakMb() {
    return peak.get() / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
