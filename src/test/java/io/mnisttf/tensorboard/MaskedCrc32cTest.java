package io.mnisttf.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class MaskedCrc32cTest {
  @Test
  void knownAnswerForTheStandardCheckString() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    CRC32C crc = new CRC32C();
    crc.update(check);
    assertEquals(0xE3069283L, crc.getValue(), "CRC-32C check value");
    // By hand: 0xE3069283 >>> 15 = 0x0001C60D; 0xE3069283 << 17 (32 bits) = 0x25060000;
    // rotated = 0x2507C60D; 0x2507C60D + 0xA282EAD8 = 0xC78AB0E5 (no carry out of 32 bits).
    assertEquals(0xC78AB0E5, MaskedCrc32c.of(check));
  }

  @Test
  void jdkCrc32cMatchesABitwiseCastagnoliImplementation() {
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 8, 13, 255, 4096}) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      int masked = MaskedCrc32c.of(data);
      assertEquals(bitwiseCrc32c(data), MaskedCrc32c.unmask(masked), "length " + length);
    }
  }

  @Test
  void unmaskInvertsMask() {
    for (int crc : new int[] {0, 1, -1, 0x80000000, 0x12345678, 0xE3069283}) {
      assertEquals(crc, MaskedCrc32c.unmask(MaskedCrc32c.mask(crc)));
    }
  }

  /** CRC-32C one bit at a time: reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF. */
  private static int bitwiseCrc32c(byte[] data) {
    int crc = 0xFFFFFFFF;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }
}
