package io.tributary.translate.rule;

/** A rule that does not parse; the message names the 1-based column. */
public final class RuleSyntaxException extends RuntimeException {
  private final int column;

  public RuleSyntaxException(String message, int column) {
    super(message + " at column " + column);
    this.column = column;
  }

  public int column() {
    return column;
  }
}
