/** TensorBoard event files written in Java. Internal: enabled with {@code RunOptions.withLogdir}. */
package io.mnisttf.tensorboard;
