package io.tributary.writer;

/**
 * The target refused us for a reason only an operator can fix (Consul 403, DNS NOTAUTH/REFUSED/
 * BADKEY, a zone that does not exist): reported loudly and retried slowly, never hammered. The
 * message must name what to fix and never contain a secret.
 */
public final class TargetConfigurationException extends RuntimeException {
  public TargetConfigurationException(String message) {
    super(message);
  }
}
