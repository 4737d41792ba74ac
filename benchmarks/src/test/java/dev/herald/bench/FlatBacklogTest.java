package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatBacklogTest {

  @Test
  void aBurstOfCommitsThatNoTaskWaitedASecondForIsFlatAndItsPeakIsReported() {
    Map<String, Object> phase = phase(900, 6_000, 12, 42, 20, 50);

    assertThat(FlatBacklog.verdict(phase))
        .startsWith("flat; peak 6,000 ready = 1.20 s of the 5,000/s faced")
        .endsWith("in the second before it 7,500 committed, 4,900 started");
  }

  @Test
  void aTaskThatWaitedASecondMakesThePhaseGrowWhateverItsBacklog() {
    Map<String, Object> phase = phase(1_000, 40, 12, 42, 20, 50);

    assertThat(FlatBacklog.verdict(phase))
        .startsWith("GROWS (a task waited 1,000 ms from commit to start ≥ 1 s)");
  }

  @Test
  void aBacklogThatEndsItsLaterIntervalsHigherGrows() {
    Map<String, Object> phase = phase(300, 900, 12, 42, 800, 830);

    assertThat(FlatBacklog.verdict(phase))
        .startsWith("GROWS (the later intervals ended 788 higher than the earlier ones");
  }

  /**
   * A phase at 5,000 sends/s whose intervals ended with the backlogs {@code ends}, the third one
   * peaking at {@code peak} after a second of 7,500 commits.
   */
  private static Map<String, Object> phase(double maxWaitMs, long peak, long... ends) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int k = 0; k < ends.length; k++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("backlog", ends[k]);
      row.put("backlogMax", k == 2 ? peak : ends[k] + 5);
      row.put("peakCommittedSecondBefore", k == 2 ? 7_500L : 5_000L);
      row.put("peakStartedSecondBefore", k == 2 ? 4_900L : 5_000L);
      rows.add(row);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("rate", 5_000);
    p.put("sendSeconds", 240.0);
    p.put("committedBySendEnd", 1_200_000L);
    p.put("uncommittedAtSendEnd", 10L);
    p.put("failures", 0L);
    p.put("shed", 0L);
    p.put("maxInFlight", Soak.MAX_IN_FLIGHT);
    p.put("neverCommitted", 0L);
    p.put("committedNotStarted", 0L);
    p.put("commitToStart", Map.of("max", maxWaitMs));
    p.put("rows", rows);
    return p;
  }
}
