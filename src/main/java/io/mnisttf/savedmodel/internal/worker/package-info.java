/**
 * Internal: the model worker process that runs a stranger's SavedModel for this one, behind a small versioned
 * framed protocol on its standard streams: for classifying ({@code OPEN}, {@code RUN}) and for serving any signature
 * with named tensors ({@code SERVE_*}); the parent's side turns every way the worker can die into one exception.
 */
package io.mnisttf.savedmodel.internal.worker;
