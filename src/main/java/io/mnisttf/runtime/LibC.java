package io.mnisttf.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The C library functions this package calls, through JNA; their signatures are the same on Linux and macOS. */
interface LibC extends Library {
  int dup(int fd);

  int dup2(int from, int to);

  int close(int fd);

  int mkstemp(byte[] template);

  int setenv(String name, String value, int overwrite);

  /** The process's C library; throws {@link LinkageError} where JNA cannot reach it. */
  static LibC load() {
    return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
  }
}
