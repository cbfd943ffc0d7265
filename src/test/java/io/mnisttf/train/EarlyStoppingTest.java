package io.mnisttf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  private static EarlyStopping monitor(double minDelta, int patience, boolean restore) {
    return new EarlyStopping(new EarlyStopping.Config("val_loss", minDelta, patience, restore));
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBest() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, true);
    int ran = ctx.run(stop, 0.50, 0.40, 0.45, 0.41, 0.30, 0.20);
    assertEquals(4, ran, "epochs 3 and 4 did not improve on 0.40");
    assertTrue(ctx.stopRequested());
    assertEquals(4, stop.stoppedEpoch());
    assertEquals(2, stop.bestEpoch());
    assertEquals(0.40, stop.state().best());
    assertEquals(2, ctx.restoredEpoch, "weights of the best epoch restored");
    assertTrue(ctx.stopReason.contains("val_loss did not improve for 2 epochs"), ctx.stopReason);
  }

  @Test
  void runsToTheEndWhenItKeepsImprovingAndStillRestoresTheBest() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, true);
    assertEquals(5, ctx.run(stop, 0.5, 0.4, 0.3, 0.35, 0.2));
    assertFalse(ctx.stopRequested());
    assertEquals(0, stop.stoppedEpoch());
    assertEquals(5, stop.bestEpoch());
    assertEquals(5, ctx.restoredEpoch);
  }

  @Test
  void bestEpochBeforeTheLastIsRestoredWithoutStopping() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, true);
    ctx.run(stop, 0.5, 0.3, 0.35);
    assertFalse(ctx.stopRequested());
    assertEquals(2, ctx.restoredEpoch, "the last epoch is worse than the best: the best is evaluated");
  }

  @Test
  void improvementsSmallerThanMinDeltaDoNotCount() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0.05, 2, true);
    assertEquals(3, ctx.run(stop, 0.50, 0.47, 0.46, 0.30));
    assertEquals(1, stop.bestEpoch(), "0.47 and 0.46 are within min_delta of 0.50");
    assertEquals(1, ctx.restoredEpoch);

    ScriptedContext exact = new ScriptedContext();
    EarlyStopping edge = monitor(0.05, 1, false);
    exact.run(edge, 0.50, 0.44);
    assertEquals(2, edge.bestEpoch(), "a decrease of more than min_delta counts");
  }

  @Test
  void equalValuesAreNotAnImprovementAndPatienceOneStopsAtOnce() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 1, true);
    assertEquals(2, ctx.run(stop, 0.3, 0.3, 0.1));
    assertEquals(1, stop.bestEpoch());
  }

  @Test
  void withoutRestoreNothingIsSnapshotOrRestored() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, false);
    ctx.run(stop, 0.5, 0.6, 0.7);
    assertTrue(ctx.stopRequested());
    assertNull(ctx.restoredEpoch);
    assertEquals(0, ctx.snapshots);
  }

  @Test
  void snapshotsOnlyOnImprovement() {
    ScriptedContext ctx = new ScriptedContext();
    ctx.run(monitor(0, 10, true), 0.5, 0.6, 0.4, 0.45, 0.3);
    assertEquals(3, ctx.snapshots);
  }

  @Test
  void stateIsResetByANewRunButKeptWhenResumed() {
    EarlyStopping stop = monitor(0, 2, true);
    ScriptedContext first = new ScriptedContext();
    first.run(stop, 0.5, 0.6, 0.7);
    ScriptedContext second = new ScriptedContext();
    assertEquals(3, second.run(stop, 0.9, 0.95, 0.97), "a fresh run does not remember 0.5");
    assertEquals(1, stop.bestEpoch());

    EarlyStopping resumed = monitor(0, 2, true);
    resumed.resume(new EarlyStopping.State(0.2, 2, 1), null);
    ScriptedContext third = new ScriptedContext();
    assertEquals(1, third.run(resumed, 0.3), "one more epoch without improvement exhausts the patience");
    assertTrue(third.stopRequested());
  }

  @Test
  void accuracyMonitorsLookForIncreases() {
    EarlyStopping stop = new EarlyStopping(new EarlyStopping.Config("val_accuracy", 0, 1, true));
    ScriptedContext ctx = new ScriptedContext();
    // val_accuracy = 1 - val_loss in the scripted context: 0.5, 0.7, 0.6
    assertEquals(3, ctx.run(stop, 0.5, 0.3, 0.4));
    assertEquals(2, stop.bestEpoch());
  }

  @Test
  void rejectsBadConfigurations() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping.Config("val_los", 0, 2, true));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping.Config("val_loss", -1, 2, true));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping.Config("val_loss", 0, 0, true));
  }

  @Test
  void aNanValLossCountsAsAnEpochWithoutImprovementAsInKeras() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, true);
    assertEquals(3, ctx.run(stop, 0.5, Double.NaN, Double.NaN, 0.1));
    assertTrue(ctx.stopRequested(), "two NaN epochs exhaust a patience of 2");
    assertEquals(1, stop.bestEpoch());
    assertEquals(1, ctx.restoredEpoch);
  }

  @Test
  void aRunThatIsNanFromTheStartStopsAndKeepsTheFirstEpochAsKerasDoes() {
    ScriptedContext ctx = new ScriptedContext();
    EarlyStopping stop = monitor(0, 2, true);
    assertEquals(2, ctx.run(stop, Double.NaN, Double.NaN, 0.1, 0.1));
    assertTrue(ctx.stopRequested());
    assertEquals(1, stop.bestEpoch(), "Keras keeps the first epoch's weights when nothing ever improved");
    assertEquals(1, ctx.restoredEpoch);
  }
}
