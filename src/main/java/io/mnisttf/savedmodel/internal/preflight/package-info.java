/**
 * Internal: everything checked before a SavedModel is loaded (loading runs its restore and init ops), gathered in
 * one {@link io.mnisttf.savedmodel.internal.preflight.PreloadReport} that loading refuses on and {@code inspect}
 * renders: unknown and unsafe ops, what TensorFlow Java cannot load or run, function cycles, list and tensor attrs,
 * checkpoint entries against what restores them.
 */
package io.mnisttf.savedmodel.internal.preflight;
