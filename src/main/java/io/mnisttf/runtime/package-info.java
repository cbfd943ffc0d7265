/**
 * TensorFlow's process-wide state, for the whole tool: loading the native library quietly ({@link
 * io.mnisttf.runtime.QuietTensorFlow}: no native log lines on standard error) and the registry of the ops this
 * TensorFlow knows ({@link io.mnisttf.runtime.RegisteredOps}), and the settings of JavaCPP, TensorFlow Java's native
 * bridge ({@link io.mnisttf.runtime.JavaCppSettings}). {@code QuietTensorFlow.start()} is API: a Java
 * program of its own calls it first to keep TensorFlow's INFO lines off its standard error.
 */
package io.mnisttf.runtime;
