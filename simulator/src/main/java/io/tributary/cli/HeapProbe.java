package io.tributary.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.typesafe.config.ConfigFactory;
import io.tributary.eventlog.EventLogReader;
import io.tributary.replay.Replay;
import io.tributary.replay.ReplayResult;
import io.tributary.settings.TributarySettings;
import io.tributary.writer.WriteObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The child JVM of {@code bench}'s scaling runs: replays one log and prints one line, {@code
 * heap-probe objects wallMillis peakLiveBytes peakUsedBytes}. Peak live heap is the largest heap
 * left after any collection during the replay (or after a full collection at its end, the final
 * state still held); peak used is the heap pools' peak, garbage included.
 */
final class HeapProbe {
  private HeapProbe() {}

  public static void main(String[] args) throws Exception {
    Logging.defaultLevel("WARN");
    AtomicLong peakLive = new AtomicLong();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          peakLive.accumulateAndGet(heap(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
        }
      }, null, null);
    }
    var config = ConfigFactory.load();
    ReplayResult result;
    try (EventLogReader reader = EventLogReader.open(Path.of(args[0]), false)) {
      result = Replay.run("scaling", reader, TributarySettings.from(config), config, WriteObserver.NONE);
    }
    System.gc();
    long after = 0;
    long peakUsed = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        after += pool.getUsage().getUsed();
        peakUsed += pool.getPeakUsage().getUsed();
      }
    }
    long live = Math.max(peakLive.get(), after);
    System.out.println("heap-probe " + result.stats().objects() + " " + result.wallTime().toMillis() + " " + live + " " + peakUsed);
    System.exit(0);
  }

  private static long heap(Map<String, MemoryUsage> pools) {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage u = pools.get(pool.getName());
      if (u != null && pool.getType() == MemoryType.HEAP) {
        sum += u.getUsed();
      }
    }
    return sum;
  }
}
