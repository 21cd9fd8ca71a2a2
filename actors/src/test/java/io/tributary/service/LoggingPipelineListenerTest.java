package io.tributary.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.watch.ObjectKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The live service's pipeline log: every fact once, when it changes. */
class LoggingPipelineListenerTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.tributary.pipeline");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final LoggingPipelineListener listener = new LoggingPipelineListener();
  private static final ObjectKey WEB = new ObjectKey("eu-1", "Ingress", "shop", "web");

  private ch.qos.logback.classic.Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO); // the service logs at INFO; the tests' default is WARN
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(level);
  }

  private List<String> logged() {
    return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void aRejectionIsLoggedWithItsReasonOnceUntilItChangesOrTheObjectRecovers() {
    listener.rejected(WEB, "spec.rules[0].host: 'Bad_Host' is not a valid hostname");
    listener.rejected(WEB, "spec.rules[0].host: 'Bad_Host' is not a valid hostname");
    listener.rejected(WEB, "spec.rules[0].http.paths[0].path: must start with /");
    listener.accepted(WEB, 2, List.of("unknown annotation tributary.io/wieght (a typo of weight?)"));
    assertThat(logged()).containsExactly(
        "WARN eu-1/Ingress/shop/web rejected (its last accepted routes stay): spec.rules[0].host: 'Bad_Host' is not a valid hostname",
        "WARN eu-1/Ingress/shop/web rejected (its last accepted routes stay): spec.rules[0].http.paths[0].path: must start with /",
        "INFO eu-1/Ingress/shop/web accepted again (2 routes)",
        "WARN eu-1/Ingress/shop/web: unknown annotation tributary.io/wieght (a typo of weight?)");
  }

  @Test
  void aPartlyAcceptedObjectIsLoggedWithEachRejectedPartOnceUntilItChangesOrTheObjectIsWhole() {
    var part = new io.tributary.translate.Translation.RejectedPart("spec.rules[1]", "spec.rules[1]: no host");
    listener.partlyAccepted(WEB, 2, List.of(), List.of(part), 0);
    listener.partlyAccepted(WEB, 3, List.of(), List.of(part), 1); // same parts: said already
    listener.accepted(WEB, 3, List.of());
    assertThat(logged()).containsExactly(
        "WARN eu-1/Ingress/shop/web partly accepted: 2 routes in force (0 of them kept for the rejected parts),"
            + " 1 parts rejected: spec.rules[1]: no host",
        "INFO eu-1/Ingress/shop/web accepted again (3 routes)");
  }

  @Test
  void warningsOfAnAcceptedObjectAreLoggedWhenTheyChange() {
    var note = "spec.parentRefs[0] (Gateway infra/gw) does not attach to listener http: …";
    listener.accepted(WEB, 1, List.of(note));
    listener.accepted(WEB, 1, List.of(note)); // translated again (a Gateway of its cluster changed): said already
    listener.accepted(WEB, 1, List.of());
    listener.accepted(WEB, 1, List.of(note));
    listener.deleted(WEB);
    listener.accepted(WEB, 1, List.of(note));
    assertThat(logged()).containsExactly(
        "WARN eu-1/Ingress/shop/web: " + note, "WARN eu-1/Ingress/shop/web: " + note, "WARN eu-1/Ingress/shop/web: " + note);
  }

  @Test
  void plannerNotesAreLoggedWhenTheyChange() {
    listener.unitNotes("dns:www.example.net", List.of("outside managed zones [example.com]"));
    listener.unitNotes("dns:www.example.net", List.of("outside managed zones [example.com]"));
    listener.unitNotes("dns:www.example.net", List.of());
    listener.unitNotes("dns:www.example.net", List.of("outside managed zones [example.com]"));
    assertThat(logged()).containsExactly(
        "INFO dns:www.example.net: outside managed zones [example.com]",
        "INFO dns:www.example.net: outside managed zones [example.com]");
  }

  @Test
  void heldDeletesAreLoggedWhenTheBarrierHoldsThemAndWhenItReleasesThem() {
    listener.deletesHeld(3, Set.of("us-1"));
    listener.deletesHeld(5, Set.of("us-1"));
    listener.deletesHeld(0, Set.of());
    assertThat(logged()).containsExactly(
        "INFO 3 deletes held until clusters [us-1] have listed every kind (the sync barrier)",
        "INFO every cluster has listed: 5 held deletes released");
  }

  @Test
  void changesAPolicyWithholdsAreLoggedWithTheTargetAndPolicyTheFirstFiveByName() {
    var changes = new java.util.ArrayList<io.tributary.target.Change>();
    for (int i = 0; i < 7; i++) {
      var r = new io.tributary.dns.DnsRecordSet("h" + i + ".example.com", "A", 60, List.of("192.0.2.1"), "o", List.of());
      changes.add(new io.tributary.target.Change(io.tributary.target.Op.DELETE, r.key(), null, r));
    }
    listener.withheld(io.tributary.target.Target.DNS, io.tributary.target.ChangePolicy.UPSERT_ONLY, changes);
    assertThat(logged()).containsExactly("INFO dns: policy upsert-only withholds delete h0.example.com/A, delete h1.example.com/A,"
        + " delete h2.example.com/A, delete h3.example.com/A, delete h4.example.com/A and 2 more");
  }
}
