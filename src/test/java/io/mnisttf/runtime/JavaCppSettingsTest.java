package io.mnisttf.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JavaCppSettingsTest {
  private static final String KEY = JavaCppSettings.MAX_PHYSICAL_BYTES;
  private static final String LOWER = KEY.toLowerCase(java.util.Locale.ROOT);
  private String saved;
  private String savedLower;

  @BeforeEach
  void save() {
    saved = System.getProperty(KEY);
    savedLower = System.getProperty(LOWER);
    System.clearProperty(KEY);
    System.clearProperty(LOWER);
  }

  @AfterEach
  void restore() {
    set(KEY, saved);
    set(LOWER, savedLower);
  }

  @Test
  void turnsTheCapOffWhenUnset() {
    JavaCppSettings.apply();
    assertEquals("0", System.getProperty(KEY));
  }

  @Test
  void keepsTheUsersValue() {
    System.setProperty(KEY, "8g");
    JavaCppSettings.apply();
    assertEquals("8g", System.getProperty(KEY));
  }

  @Test
  void keepsTheUsersLowerCaseValue() {
    System.setProperty(LOWER, "8g");
    JavaCppSettings.apply();
    assertEquals(null, System.getProperty(KEY));
    assertEquals("8g", System.getProperty(LOWER));
  }

  private static void set(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
