/**
 * What {@code train} prints while it runs: the Keras-like epoch lines ({@link io.mnisttf.cli.console.EpochLogger},
 * {@link io.mnisttf.cli.console.EpochLog}), the live progress bar on an interactive terminal
 * ({@link io.mnisttf.cli.console.ProgressBarLogger}, {@link io.mnisttf.cli.console.Terminal}) and the timings
 * ({@link io.mnisttf.cli.console.Stopwatch}). Internal to the command line: not API.
 */
package io.mnisttf.cli.console;
