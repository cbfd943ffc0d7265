package io.mnisttf.tensorboard;

import java.util.zip.CRC32C;

/**
 * The checksum of TFRecord frames: CRC-32C (Castagnoli), then rotated right by 15 bits and offset by
 * {@code 0xa282ead8}, all in 32-bit arithmetic. The mask keeps a CRC stored next to its data from being the
 * CRC of data that itself contains CRCs.
 */
public final class MaskedCrc32c {
  /** Added to the rotated CRC. */
  public static final int MASK_DELTA = 0xa282ead8;

  private MaskedCrc32c() {}

  /** The masked form of an unmasked CRC-32C value. */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  /** The unmasked CRC-32C of a masked value; {@code unmask(mask(c)) == c}. */
  public static int unmask(int masked) {
    int rotated = masked - MASK_DELTA;
    return (rotated >>> 17) | (rotated << 15);
  }

  /** Masked CRC-32C of {@code length} bytes of {@code data} from {@code offset}. */
  public static int of(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return mask((int) crc.getValue());
  }

  /** Masked CRC-32C of all of {@code data}. */
  public static int of(byte[] data) {
    return of(data, 0, data.length);
  }
}
