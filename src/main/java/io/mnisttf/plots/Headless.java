package io.mnisttf.plots;

/**
 * Renders without a display: sets {@code java.awt.headless=true} unless the user chose otherwise. It
 * takes effect when AWT is first used, so the plot classes call it from their static initialisers.
 */
final class Headless {
  private Headless() {}

  static void ensure() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }
}
