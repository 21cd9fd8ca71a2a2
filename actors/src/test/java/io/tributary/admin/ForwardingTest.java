package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.edge.CommitTracker;
import io.tributary.metrics.KamonMetrics;
import io.tributary.metrics.KamonWriteMetrics;
import io.tributary.plan.ForwardingPipelineListener;
import io.tributary.plan.PipelineListener;
import io.tributary.writer.WriteObserver;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The listeners and observers that sit in front of others must pass every report on: a report
 * method added to the interface later (with its do-nothing default) would otherwise stop at the
 * first of them and never reach the log or the metrics behind it.
 */
class ForwardingTest {

  private static List<String> notOverridden(Class<?> iface, Class<?> forwarding) {
    return Arrays.stream(iface.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getReturnType() == void.class) // reports; not combinators such as andThen
        .filter(m -> !declares(forwarding, m))
        .map(Method::getName)
        .toList();
  }

  /** True if {@code type} or a class it extends (a forwarding base) implements {@code m}. */
  private static boolean declares(Class<?> type, Method m) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        c.getDeclaredMethod(m.getName(), m.getParameterTypes());
        return true;
      } catch (NoSuchMethodException e) {
        // look in the superclass
      }
    }
    return false;
  }

  private static Class<?> inner(String simpleName) {
    return inner(ServiceStatus.class, simpleName);
  }

  private static Class<?> inner(Class<?> outer, String simpleName) {
    return Arrays.stream(outer.getDeclaredClasses())
        .filter(c -> c.getSimpleName().equals(simpleName)).findFirst().orElseThrow();
  }

  @Test
  void everyPipelineListenerInFrontOfAnotherForwardsEveryReport() {
    assertThat(notOverridden(PipelineListener.class, inner("Listening"))).as("ServiceStatus.listening").isEmpty();
    assertThat(notOverridden(PipelineListener.class, KamonMetrics.class)).as("KamonMetrics").isEmpty();
    assertThat(notOverridden(PipelineListener.class, ForwardingPipelineListener.class)).as("ForwardingPipelineListener").isEmpty();
    // edge mode's central service: it missed partlyAccepted once (heard as a plain accepted)
    assertThat(notOverridden(PipelineListener.class, inner(CommitTracker.class, "Listening"))).as("CommitTracker.listening").isEmpty();
  }

  @Test
  void everyWriteObserverInFrontOfAnotherForwardsEveryReport() {
    assertThat(notOverridden(WriteObserver.class, inner("Observing"))).as("ServiceStatus.observing").isEmpty();
    assertThat(notOverridden(WriteObserver.class, KamonWriteMetrics.class)).as("KamonWriteMetrics").isEmpty();
    assertThat(notOverridden(WriteObserver.class, WriteObserver.NONE.andThen(WriteObserver.NONE).getClass()))
        .as("WriteObserver.andThen").isEmpty();
    assertThat(notOverridden(WriteObserver.class, WriteObserver.inDryRun(WriteObserver.NONE).getClass()))
        .as("WriteObserver.inDryRun").isEmpty();
  }
}
