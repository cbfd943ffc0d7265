package io.mnisttf.checkpoint;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mnisttf.train.CheckpointSource;
import io.mnisttf.train.WeightSnapshot;
import io.mnisttf.util.JsonFormat;
import io.mnisttf.util.MoreFiles;
import io.mnisttf.util.Problems;
import io.mnisttf.util.StagingDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints of a training run in one folder: {@code epoch-0001/}, {@code epoch-0002/}, ... each holding the
 * TensorFlow variables of the training graph (weights, Adam's slots and step powers:
 * {@code variables.index}, {@code variables.data-*}), the best epoch's weights ({@code best-weights.bin}) and
 * {@code state.json} ({@link CheckpointState}).
 *
 * <p>A checkpoint is written into a hidden staging folder and renamed into place in one step, so a crash
 * leaves the previous checkpoint intact and never a partial one; the two most recent are kept.
 */
public final class CheckpointStore {
  public static final String STATE_FILE = "state.json";
  public static final String BEST_WEIGHTS_FILE = "best-weights.bin";
  public static final String VARIABLES_PREFIX = "variables";
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,9})");
  private static final int KEEP = 2;

  static final Gson GSON = JsonFormat.FILE;

  /**
   * A checkpoint read back.
   *
   * @param folder where it is
   * @param state its state.json
   * @param bestWeights the best epoch's weights, or null if it has none
   */
  public record Loaded(Path folder, CheckpointState state, WeightSnapshot bestWeights) {
    /** Prefix of the TensorFlow variables, for {@code Session.restore}. */
    public Path variablesPrefix() {
      return folder.resolve(VARIABLES_PREFIX);
    }
  }

  private final Path dir;

  public CheckpointStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Writes the checkpoint after {@code state.epoch()} and removes all but the most recent ones. */
  public Path save(CheckpointState state, WeightSnapshot bestWeights, CheckpointSource variables) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CheckpointException(dir, "not a directory (the checkpoint folder expected)");
    }
    Files.createDirectories(dir);
    StagingDir.removeAbandoned(dir);
    Path target = dir.resolve(String.format(Locale.ROOT, "epoch-%04d", state.epoch()));
    try (StagingDir staging = StagingDir.create(dir)) {
      variables.saveCheckpoint(staging.path().resolve(VARIABLES_PREFIX));
      if (bestWeights != null) {
        Files.write(staging.path().resolve(BEST_WEIGHTS_FILE), WeightSnapshotFile.encode(bestWeights));
      }
      Files.writeString(staging.path().resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
      if (Files.exists(target)) { // a resumed run redoes the epoch after its checkpoint: replace it
        MoreFiles.deleteRecursively(target);
      }
      staging.publishAs(target);
      // Still inside the staging write, so quitting at once never leaves an old checkpoint half deleted.
      List<Path> all = checkpoints();
      for (int i = 0; i < all.size() - KEEP; i++) {
        MoreFiles.deleteRecursively(all.get(i));
      }
    }
    return target;
  }

  /** The most recent complete checkpoint, if any. */
  public Optional<Loaded> latest() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir, Files.exists(dir) ? "not a directory (a checkpoint folder expected)"
          : "no such directory (a checkpoint folder expected)");
    }
    List<Path> all = checkpoints();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(load(all.get(all.size() - 1)));
  }

  static Loaded load(Path folder) throws IOException {
    Path stateFile = folder.resolve(STATE_FILE);
    if (!Files.isRegularFile(stateFile)) {
      throw new CheckpointException(stateFile, "missing (an incomplete checkpoint)");
    }
    String notOurs = "not a checkpoint state of this tool (format " + CheckpointState.FORMAT + " expected)";
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(stateFile, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new CheckpointException(stateFile, "unreadable checkpoint state (not a JSON object)");
    }
    JsonElement format = json.get("format");
    if (format == null || !format.isJsonPrimitive() || format.getAsDouble() != CheckpointState.FORMAT) {
      throw new CheckpointException(stateFile, notOurs);
    }
    CheckpointState state;
    try {
      state = GSON.fromJson(json, CheckpointState.class);
    } catch (RuntimeException e) { // a missing part, or a record constructor refusing a value
      throw new CheckpointException(stateFile, "unreadable checkpoint state ("
          + Problems.describe(e) + ")");
    }
    if (state.train() == null || state.data() == null || state.earlyStopping() == null || state.monitor() == null) {
      throw new CheckpointException(stateFile, notOurs);
    }
    if (state.history().size() != state.epoch()) {
      throw new CheckpointException(stateFile, "inconsistent checkpoint: " + state.history().size()
          + " epochs of history for epoch " + state.epoch());
    }
    if (!Files.isRegularFile(folder.resolve(VARIABLES_PREFIX + ".index"))) {
      throw new CheckpointException(folder.resolve(VARIABLES_PREFIX + ".index"), "missing (an incomplete checkpoint)");
    }
    Path best = folder.resolve(BEST_WEIGHTS_FILE);
    return new Loaded(folder, state, Files.exists(best) ? WeightSnapshotFile.read(best) : null);
  }

  /** The checkpoint folders, oldest first. */
  private List<Path> checkpoints() throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (m.matches() && Files.isDirectory(entry)) {
          found.add(entry);
        }
      }
    }
    found.sort((a, b) -> Integer.compare(epochOf(a), epochOf(b)));
    return found;
  }

  private static int epochOf(Path folder) {
    Matcher m = NAME.matcher(folder.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
