/**
 * SavedModel export. API: {@link io.mnisttf.export.ExportContract}, the contract our exports carry. Internal:
 * the exporter, the inference graph and the TF Serving version folders; export with
 * {@code TrainingRun.exportSavedModel(base)}.
 */
package io.mnisttf.export;
