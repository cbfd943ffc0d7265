package io.mnisttf.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the serving tests: GET and POST on loopback, the answer as status and text. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  /** An answer: status, body, and the Content-Type header. */
  record Answer(int status, String body, String contentType) {
    /** The body parsed leniently (TF Serving writes NaN and Infinity unquoted). */
    JsonElement json() {
      com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(body));
      reader.setLenient(true);
      return JsonParser.parseReader(reader);
    }

    /** The {@code error} of an error body. */
    String error() {
      return json().getAsJsonObject().get("error").getAsString();
    }
  }

  static Answer get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  static Answer post(URI uri, String body) {
    return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
