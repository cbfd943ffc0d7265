/**
 * A TensorFlow Serving-compatible model server ({@code serve}): TF Serving's REST API, its JSON and its errors,
 * versions polled and switched as Serving does, each version in model worker processes, a drawing page.
 *
 * <p>API: {@link io.mnisttf.serve.ModelServer} with {@link io.mnisttf.serve.ServeConfig} and
 * {@link io.mnisttf.serve.BatchingOptions}; {@link io.mnisttf.serve.ModelVersions} (a model's versions and
 * their status); the boundary a version implements, {@link io.mnisttf.serve.Servable} and
 * {@link io.mnisttf.serve.ServableLoader}, with {@link io.mnisttf.serve.ServingException} and its
 * {@link io.mnisttf.serve.Code}; the REST layer {@link io.mnisttf.serve.RestApi}; the load benchmark
 * ({@link io.mnisttf.serve.LoadBenchmark}, {@link io.mnisttf.serve.DigitRequests}). Internal: the JSON codecs
 * (TF Serving's {@code json_tensor.cc}) over TF Serving's JSON dialect in {@link io.mnisttf.serve.json}, the HTTP
 * front, the worker-backed and batching versions.
 */
package io.mnisttf.serve;
