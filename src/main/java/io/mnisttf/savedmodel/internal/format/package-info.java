/**
 * Internal: reading a SavedModel's files without loading anything: {@code saved_model.pb} (or its text form, and TF
 * Serving base folders), the checkpoint index and its data files, and files of other formats that users give instead
 * (Keras, TFLite, ONNX, frozen graphs).
 */
package io.mnisttf.savedmodel.internal.format;
