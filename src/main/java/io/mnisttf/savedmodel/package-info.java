/**
 * Using a SavedModel, ours or a stranger's, as an MNIST digit classifier. API: open one with
 * {@link io.mnisttf.savedmodel.Classifiers#open} (in a worker process by default) and get a thread-safe
 * {@link io.mnisttf.savedmodel.Classifier}; its {@link io.mnisttf.savedmodel.ClassifierOptions},
 * {@link io.mnisttf.savedmodel.WorkerLimits}, {@link io.mnisttf.savedmodel.ClassifierDescription} (with the
 * {@link io.mnisttf.savedmodel.ModelSignature} called, its {@link io.mnisttf.savedmodel.TensorSpec}s,
 * {@link io.mnisttf.savedmodel.InputLayout}, {@link io.mnisttf.savedmodel.ExampleFeature} or
 * {@link io.mnisttf.savedmodel.ImageDecode}, and the {@link io.mnisttf.savedmodel.Calibration}),
 * {@link io.mnisttf.savedmodel.Classification}; scoring a labelled set
 * ({@link io.mnisttf.savedmodel.SavedModelEvaluator}, {@link io.mnisttf.savedmodel.Evaluation}); describing a
 * model without loading it ({@link io.mnisttf.savedmodel.ModelInspector}, {@link io.mnisttf.savedmodel.Inspection},
 * {@link io.mnisttf.savedmodel.OpScan}); and the one exception, {@link io.mnisttf.savedmodel.SavedModelException},
 * with its kind. Everything under {@code internal} is the implementation and may change: reading the format,
 * the checks before loading, choosing the signature, running the model, and the worker process.
 */
package io.mnisttf.savedmodel;
