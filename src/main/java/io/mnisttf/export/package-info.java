/**
 * SavedModel export: the inference graph, the exporter (default-valued attrs stripped, as Python's exporter
 * does) and our export's contract, published into the next TF Serving version folder. Internal: export with
 * {@code TrainingRun.exportSavedModel(base)}; the layout it writes is {@link io.mnisttf.layout}'s.
 */
package io.mnisttf.export;
