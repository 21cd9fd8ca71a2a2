package io.tributary.concurrent;

import java.util.concurrent.CompletionException;

/** What a failed {@code CompletionStage} failed with, without the wrappers the JDK adds. */
public final class Failures {
  private Failures() {}

  /**
   * {@code failure} without its {@link CompletionException} wrappers: a stage composed from another
   * (thenCompose, exceptionally) reports the original failure wrapped, often more than once.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
