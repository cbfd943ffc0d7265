/** Atomic files, staging folders, background tasks, hashes and the JSON set-up. Internal. */
package io.mnisttf.util;
