package dev.herald.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap occupancy after every garbage collection (GC notifications: the live set plus what the
 * collector kept), with the drain's progress at that moment, and a sample of used heap every
 * second, and the live set (used heap right after an explicit full GC) when a quarter, half and
 * three quarters of the backlog are delivered. If the dispatcher held state per backlog row,
 * heap-after-GC would shrink as the backlog does; a flat series is the evidence that memory does
 * not grow with the backlog. An open-ended run (the soak) reads heap-after-GC per interval instead,
 * without forced full GCs.
 */
final class HeapWatch implements NotificationListener {

  private final AtomicLong progress;
  private final long total;
  private final List<double[]> liveSet = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private final Set<String> heapPools = new HashSet<>();
  private final List<double[]> afterGc = new ArrayList<>();
  private final List<double[]> used = new ArrayList<>();
  private final Thread sampler;

  private HeapWatch(AtomicLong progress, long total) {
    this.progress = progress;
    this.total = total;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(this, null, null);
    }
    sampler =
        new Thread(
            () -> {
              int quarter = 1;
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                long done = progress.get();
                synchronized (used) {
                  used.add(new double[] {seconds(), mb(heap), done});
                }
                if (total > 0 && quarter <= 3 && done >= quarter * total / 4) {
                  // The live set with the backlog at 3/4, 1/2 and 1/4 of its size: a full GC leaves
                  // only what is reachable, where heap-after-young-GC also counts promoted garbage.
                  System.gc();
                  long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                  synchronized (liveSet) {
                    liveSet.add(new double[] {seconds(), mb(live), progress.get()});
                  }
                  quarter++;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /**
   * Starts watching.
   *
   * @param progress the number of tasks delivered so far
   * @param total the backlog at the start, or 0 for an open-ended run (no forced full GCs)
   * @return the watch
   */
  static HeapWatch start(AtomicLong progress, long total) {
    return new HeapWatch(progress, total);
  }

  @Override
  public void handleNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long heap = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        heap += e.getValue().getUsed();
      }
    }
    synchronized (afterGc) {
      afterGc.add(new double[] {seconds(), mb(heap), progress.get()});
    }
  }

  /**
   * Heap after GC over the collections from number {@code from} (counting from 0) on, for a report
   * per interval.
   *
   * @return {collections since, last heap-after-GC MB, max heap-after-GC MB}; MB are -1 if none
   */
  double[] afterGcSince(int from) {
    synchronized (afterGc) {
      double last = -1;
      double max = -1;
      for (int i = from; i < afterGc.size(); i++) {
        last = afterGc.get(i)[1];
        max = Math.max(max, last);
      }
      return new double[] {Math.max(0, afterGc.size() - from), last, max};
    }
  }

  /** Stops watching and summarizes. */
  Map<String, Object> stop() {
    sampler.interrupt();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(this);
      } catch (ListenerNotFoundException e) {
        // not registered: nothing to remove
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    synchronized (afterGc) {
      r.put("gcCount", afterGc.size());
      if (!afterGc.isEmpty()) {
        double max = 0;
        for (double[] s : afterGc) {
          max = Math.max(max, s[1]);
        }
        r.put("afterGcFirstMb", afterGc.get(0)[1]);
        r.put("afterGcLastMb", afterGc.get(afterGc.size() - 1)[1]);
        r.put("afterGcMaxMb", max);
        r.put("afterGcSeries", thin(afterGc, 40));
      }
    }
    synchronized (used) {
      r.put("usedEverySecond", thin(used, 40));
    }
    synchronized (liveSet) {
      r.put("liveSetAtQuarters", new ArrayList<>(liveSet));
    }
    return r;
  }

  /** At most {@code n} evenly spaced points {seconds, MB, delivered}. */
  private static List<double[]> thin(List<double[]> all, int n) {
    if (all.size() <= n) {
      return new ArrayList<>(all);
    }
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * (all.size() - 1) / (n - 1))));
    }
    return out;
  }

  private double seconds() {
    return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
  }

  private static double mb(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }
}
