package io.mnisttf.savedmodel;

import java.util.Locale;

/** What a model's 10-value output holds. */
public enum OutputKind {
  /** Rows are non-negative and sum to 1 (a softmax layer ends the model). */
  PROBABILITIES,
  /** Anything else: unnormalised scores, turned into probabilities with a softmax. */
  LOGITS;

  /** The lower-case name used in reports and JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
