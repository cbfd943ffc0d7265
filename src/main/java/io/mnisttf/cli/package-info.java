/**
 * The command line ({@link io.mnisttf.cli.Main}): picocli commands that parse options, call the library and print
 * its results; the only package that prints errors, maps the library's error kinds to exit codes and option hints,
 * and names options.
 */
package io.mnisttf.cli;
