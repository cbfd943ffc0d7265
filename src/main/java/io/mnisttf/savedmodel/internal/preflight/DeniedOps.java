package io.mnisttf.savedmodel.internal.preflight;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Op types that reach outside the model: they read or write files, use the network, run Python code or
 * send debug data out. A model holding one is refused unless the user allows unsafe ops.
 *
 * <p>The list joins the deny lists of {@code saved_model_cli scan} (WriteFile, ReadFile, PrintV2),
 * protectai/modelscan (ReadFile, WriteFile, MatchingFiles, PyFunc, EagerPyFunc, WholeFileReader) and
 * ZJU-SEC/TensorAbuse (file-reading datasets, ImmutableConst, table initialisers from text files, Save ops,
 * debug identities, RPC, tf.data service), with the V2/experimental variants that TensorFlow 2.18
 * registers and the other file readers and writers of its op list (TFRecord/text/LMDB/SQL readers and
 * datasets, summary writers, dataset savers and snapshots).
 *
 * <p>{@link #SAVER_OPS} are special: every saver subgraph holds them, so they count as unsafe only when
 * loading or calling the model would run them (see {@link OpScanner}).
 */
public final class DeniedOps {
  public static final String READS_FILES = "reads files";
  public static final String WRITES_FILES = "writes files";
  public static final String NETWORK = "uses the network";
  public static final String RUNS_CODE = "runs Python code";
  public static final String DEBUG_OUT = "sends debug data to files or the network";

  /**
   * Checkpoint writers found in every saver's save path ({@code MergeV2Checkpoints} renames and deletes the
   * shard files); unsafe only where loading or calling runs them.
   */
  public static final Set<String> SAVER_OPS = Set.of("Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints");

  private static final Map<String, String> DENIED = build();

  private DeniedOps() {}

  /** Every denied op type, sorted, with what it does ("reads files", "uses the network", ...). */
  public static Map<String, String> all() {
    return DENIED;
  }

  /** What {@code opType} does that makes it unsafe, or {@code null} when it is not denied. */
  public static String reason(String opType) {
    return DENIED.get(opType);
  }

  private static Map<String, String> build() {
    Map<String, String> m = new TreeMap<>();
    for (String op : new String[] {"ReadFile", "MatchingFiles", "MatchingFilesDataset",
        "ExperimentalMatchingFilesDataset", "WholeFileReader", "WholeFileReaderV2", "TextLineReader",
        "TextLineReaderV2", "FixedLengthRecordReader", "FixedLengthRecordReaderV2", "TFRecordReader",
        "TFRecordReaderV2", "LMDBReader", "RecordInput", "FixedLengthRecordDataset",
        "FixedLengthRecordDatasetV2", "CSVDataset", "CSVDatasetV2", "ExperimentalCSVDataset",
        "TextLineDataset", "TFRecordDataset", "TFRecordDatasetV2", "LMDBDataset", "ExperimentalLMDBDataset",
        "SqlDataset", "ExperimentalSqlDataset", "ImmutableConst", "InitializeTableFromTextFile",
        "InitializeTableFromTextFileV2", "LoadDataset", "SnapshotDatasetReader", "SnapshotChunkDataset",
        "ListSnapshotChunksDataset", "LoadAndRemapMatrix"}) {
      m.put(op, READS_FILES);
    }
    for (String op : new String[] {"WriteFile", "Save", "SaveV2", "SaveSlices", "DistributedSave",
        "SaveDataset", "SaveDatasetV2", "DatasetToTFRecord", "ExperimentalDatasetToTFRecord",
        "SnapshotDataset", "SnapshotDatasetV2", "CreateSummaryFileWriter", "CreateSummaryDbWriter",
        "PrintV2", "CalibrationStatisticsSaver", "FileSystemSetConfiguration", "MergeV2Checkpoints"}) {
      m.put(op, WRITES_FILES);
    }
    for (String op : new String[] {"RpcCall", "RpcClient", "RpcServer", "RpcServerRegister",
        "RpcServerStart", "RpcCheckStatus", "RpcGetValue", "RegisterDataset", "RegisterDatasetV2",
        "DataServiceDataset", "DataServiceDatasetV2", "DataServiceDatasetV3", "DataServiceDatasetV4"}) {
      m.put(op, NETWORK);
    }
    for (String op : new String[] {"PyFunc", "PyFuncStateless", "EagerPyFunc"}) {
      m.put(op, RUNS_CODE);
    }
    for (String op : new String[] {"DebugIdentity", "DebugIdentityV2", "DebugIdentityV3", "DebugNanCount",
        "DebugNumericSummary"}) {
      m.put(op, DEBUG_OUT);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
