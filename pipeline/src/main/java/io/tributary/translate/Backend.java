package io.tributary.translate;

/** The in-cluster Kubernetes Service a route points at; exactly one of the two ports is set. */
public record Backend(String service, Integer portNumber, String portName) {

  /** {@code service:port} for reports. */
  @Override
  public String toString() {
    return service + ":" + (portNumber != null ? portNumber.toString() : portName);
  }
}
