/**
 * TF Serving's JSON dialect, internal to {@link io.mnisttf.serve}: request bodies parsed as TF Serving's rapidjson
 * parses them ({@link io.mnisttf.serve.json.JsonParser} into {@link io.mnisttf.serve.json.JsonValue}, with
 * rapidjson's error messages and offsets), and answers laid out as the model server lays them out: the predict,
 * classify and regress answers ({@link io.mnisttf.serve.json.PrettyJson}, numbers by
 * {@link io.mnisttf.serve.json.Decimals}) and the status and metadata answers, which protobuf's C++ printer writes
 * ({@link io.mnisttf.serve.json.ProtoJson}). Public only so that {@code serve} can use it; not an API.
 */
package io.mnisttf.serve.json;
