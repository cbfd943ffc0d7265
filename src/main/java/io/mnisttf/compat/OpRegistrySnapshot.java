package io.mnisttf.compat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The op registries of the six runtimes of {@link TfRuntime#ALL}, as a committed resource
 * ({@value #RESOURCE}, gzip text of about 60 KB) generated from the runtimes themselves by
 * {@code mvn -Pcompat -DskipTests verify -Dcompat.snapshot=true} (io.mnisttf.compat.live.CompatCheck).
 *
 * <p>Format, one record a line, tab-separated: {@code runtime VERSION FULL_VERSION GRAPH_DEF_VERSION} for
 * each runtime, then {@code op MASK NAME ATTRS} for each distinct op definition, where {@code MASK} is the
 * hexadecimal set of runtimes (bit i: {@code TfRuntime.ALL.get(i)}) that register it exactly so, and
 * {@code ATTRS} is {@code name:type} or {@code name:type=BASE64_DEFAULT}, separated by {@code ;}.
 */
public final class OpRegistrySnapshot {
  /** The class-path resource. */
  public static final String RESOURCE = "/io/mnisttf/compat/op-registries.tsv.gz";

  private static volatile List<OpRegistry> loaded;

  private OpRegistrySnapshot() {}

  /** The committed registries, oldest runtime first; read once. */
  public static List<OpRegistry> load() {
    List<OpRegistry> result = loaded;
    if (result == null) {
      try (InputStream in = OpRegistrySnapshot.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource missing: " + RESOURCE);
        }
        result = read(in);
      } catch (IOException e) {
        throw new UncheckedIOException(RESOURCE + ": unreadable", e);
      }
      loaded = result;
    }
    return result;
  }

  /** Parses a snapshot (gzip). */
  static List<OpRegistry> read(InputStream gzip) throws IOException {
    Map<String, String[]> runtimes = new LinkedHashMap<>();
    List<Map<String, OpRegistry.Op>> ops = new ArrayList<>();
    TfRuntime.ALL.forEach(r -> ops.add(new HashMap<>()));
    BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzip), StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null; ) {
      String[] f = line.split("\t", -1);
      if (f[0].equals("runtime")) {
        runtimes.put(f[1], f);
      } else if (f[0].equals("op")) {
        OpRegistry.Op op = new OpRegistry.Op(f[2], attrs(f[3]));
        int mask = Integer.parseInt(f[1], 16);
        for (int i = 0; i < ops.size(); i++) {
          if ((mask & (1 << i)) != 0) {
            ops.get(i).put(op.name(), op);
          }
        }
      }
    }
    List<OpRegistry> result = new ArrayList<>();
    for (int i = 0; i < TfRuntime.ALL.size(); i++) {
      TfRuntime runtime = TfRuntime.ALL.get(i);
      String[] f = runtimes.get(runtime.version());
      if (f == null) {
        throw new IOException("no registry for TensorFlow " + runtime.version());
      }
      result.add(new OpRegistry(runtime, f[2], Integer.parseInt(f[3]), ops.get(i)));
    }
    return List.copyOf(result);
  }

  private static Map<String, OpRegistry.Attr> attrs(String field) {
    Map<String, OpRegistry.Attr> attrs = new LinkedHashMap<>();
    if (field.isEmpty()) {
      return attrs;
    }
    for (String a : field.split(";")) {
      int colon = a.indexOf(':');
      int eq = a.indexOf('=', colon);
      String name = a.substring(0, colon);
      String type = eq < 0 ? a.substring(colon + 1) : a.substring(colon + 1, eq);
      byte[] def = eq < 0 ? null : Base64.getDecoder().decode(a.substring(eq + 1));
      attrs.put(name, new OpRegistry.Attr(name, type, def));
    }
    return attrs;
  }

  /** Writes registries (one per runtime of {@link TfRuntime#ALL}, in that order) in the snapshot format. */
  public static void write(List<OpRegistry> registries, OutputStream out) throws IOException {
    Map<String, Integer> masks = new TreeMap<>();
    for (int i = 0; i < registries.size(); i++) {
      for (OpRegistry.Op op : registries.get(i).ops().values()) {
        masks.merge(op.name() + "\t" + encode(op), 1 << i, (a, b) -> a | b);
      }
    }
    try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(out), StandardCharsets.UTF_8))) {
      for (OpRegistry r : registries) {
        w.write(String.join("\t", "runtime", r.runtime().version(), r.fullVersion(),
            Integer.toString(r.graphDefVersion())) + "\n");
      }
      for (Map.Entry<String, Integer> e : masks.entrySet()) {
        w.write("op\t" + Integer.toHexString(e.getValue()) + "\t" + e.getKey() + "\n");
      }
    }
  }

  private static String encode(OpRegistry.Op op) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(op.attrs()).values().forEach(a -> parts.add(a.name() + ":" + a.type()
        + (a.defaultValue() == null ? "" : "=" + Base64.getEncoder().withoutPadding().encodeToString(a.defaultValue()))));
    return String.join(";", parts);
  }
}
