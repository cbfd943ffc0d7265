/** Atomic files, staging folders, background tasks and writes, hashes and the JSON set-up. Internal. */
package io.mnisttf.util;
