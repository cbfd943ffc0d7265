/**
 * Where models live on disk and what they say about themselves, shared by the writer ({@code export}) and the
 * readers ({@code savedmodel}): TensorFlow Serving's numbered version folders ({@link
 * io.mnisttf.layout.VersionedExportDir}, its version-name rule and atomic publishing), the serving names every
 * loader agrees on ({@link io.mnisttf.layout.ServingConventions}), and the contract our exports carry
 * ({@link io.mnisttf.layout.ExportContract}). All three are API.
 */
package io.mnisttf.layout;
