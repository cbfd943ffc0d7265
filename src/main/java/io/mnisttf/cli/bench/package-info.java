/**
 * The {@code benchmark} command's engine: runs the tool's own commands in fresh JVMs, as a user runs them, and
 * reports medians, minima and maxima. Internal to the command line.
 */
package io.mnisttf.cli.bench;
