/**
 * Which TensorFlow versions (1.15 to 2.18) load a SavedModel's graph, decided without loading it, from committed
 * op-registry snapshots of those runtimes and what each runtime's XLA runs:
 * {@link io.mnisttf.compat.TensorFlowVersions} and its {@link io.mnisttf.compat.VersionVerdict} are API. The live
 * check that produced and verifies them (compat.live) is not in the jar: it is the compat profile's harness.
 */
package io.mnisttf.compat;
