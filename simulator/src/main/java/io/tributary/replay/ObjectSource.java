package io.tributary.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders a Kubernetes object as it is in a cluster at a resourceVersion (scenario building). */
@FunctionalInterface
public interface ObjectSource {
  ObjectNode build(String cluster, long resourceVersion);
}
