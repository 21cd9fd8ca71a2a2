package io.tributary.cli;

/** A mistake in what the user gave (a file, an option, a config): one line on stderr, exit 2, no stack trace. */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message);
  }
}
