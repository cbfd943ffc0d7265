#!/bin/sh
# mnist-tf-java: runs the jar beside this script with the JVM options of the Maven runner and the environment
# that keeps TensorFlow's native logging quiet. Written into target/ by `mvn package` from
# src/main/launcher/mnist-tf-java.sh; the JVM options come from the pom's jvm.args property.
#   target/mnist-tf-java [command] [options]      e.g. target/mnist-tf-java train --json
# JAVA_HOME selects the Java runtime (else `java` on the PATH); MNIST_TF_JAVA_OPTS adds JVM options.
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 1
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
else
  java=java
fi
# TensorFlow's own INFO and WARNING lines (a user's setting wins)
TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export TF_CPP_MIN_LOG_LEVEL
# For train (also the command when none is named), the tool's class-data-sharing archive, which `mvn package`
# writes beside the jar from a short train: classes are mapped instead of loaded and verified (about 0.27 s less).
# Not for the other commands: mapping and relocating it costs the JVM about 0.05 s before main, more than an
# evaluate or predict whose model runs in a worker gains. The JVM checks that the archive was made by the same JVM
# from the same jars and otherwise runs without it; its cds log (which would then say so at every start) is off,
# unless MNIST_TF_JAVA_OPTS turns it back on.
case "${1:-train}" in
  train | -*) archive="$here/mnist-tf-java.jsa" ;;
  *) archive= ;;
esac
# shellcheck disable=SC2086 # the options are words to split
if [ -n "$archive" ] && [ -f "$archive" ]; then
  exec "$java" @JVM_ARGS@ "-XX:SharedArchiveFile=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
    ${MNIST_TF_JAVA_OPTS:-} -jar "$here/mnist-tf-java.jar" "$@"
fi
# shellcheck disable=SC2086
exec "$java" @JVM_ARGS@ ${MNIST_TF_JAVA_OPTS:-} -jar "$here/mnist-tf-java.jar" "$@"
