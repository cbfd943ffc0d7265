package io.mnisttf.runtime;

/**
 * Settings of JavaCPP, the native bridge under TensorFlow Java, made before its first class loads.
 *
 * <p>JavaCPP caps the process's physical memory ({@code org.bytedeco.javacpp.maxPhysicalBytes}, by default twice
 * the maximum heap) and, to enforce the cap, reads the process's resident size from the kernel at every native
 * allocation it tracks: 4-9 microseconds a time on the 2-core machine, and TensorFlow Java makes several such
 * allocations in every session run, every tensor and every step of an iteration over a graph's operations. This
 * tool closes every tensor, result, session and graph itself, so the cap guards nothing here; without it a
 * training step of the default MLP ran in about 260 instead of about 400 microseconds, and the graphs built
 * several times faster (PERFORMANCE.md, 2026-12-07). A value set by the user ({@code -D} on the command line) is
 * left as it is.
 */
public final class JavaCppSettings {
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  private JavaCppSettings() {}

  /**
   * Turns JavaCPP's physical-memory cap off (0) unless the user set it; call first thing in {@code main}, before
   * any TensorFlow class loads (JavaCPP reads its settings once).
   */
  public static void apply() {
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null
        && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "0");
    }
  }
}
