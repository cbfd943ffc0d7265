package io.mnisttf.cli;

import io.mnisttf.cli.console.EpochLog;
import java.util.List;

/**
 * {@code train --json}'s result line (snake_case in the output). {@code valLoss} and {@code valAccuracy} are the
 * best epoch's, whose weights are evaluated and exported.
 *
 * @param model the network, {@code mlp} or {@code cnn}
 * @param epochLog the epochs this process trained, with the seconds since the JVM started at their end
 */
record TrainSummary(int epochsRun, boolean stoppedEarly, String stopReason, boolean interrupted, int bestEpoch,
    double valLoss, double valAccuracy, double testLoss, double testAccuracy, double trainSeconds,
    double samplesPerSecond, String exportDir, String runDir, Timings timings, Long peakRssMb, String model,
    List<EpochLog.Entry> epochLog) {

  /** Where the time of a run went, in seconds unless named otherwise. */
  record Timings(double dataLoadSeconds, double graphBuildSeconds, double firstStepSeconds, double steadyStepMs,
      List<Double> epochSeconds, double testEvalSeconds, double exportSeconds, double totalSeconds) {}
}
