package io.tributary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The pipeline module's layering as rules: its planning is pure (no actor, no I/O, no clock), the
 * clock is read only in {@code time}, and its packages form no cycle. A broken rule fails the
 * build naming the offending class and dependency.
 */
class PipelineArchitectureTest {
  private static final JavaClasses PIPELINE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tributary");

  /** Translation, planning and the target vocabulary: functions over immutable values. */
  private static final String[] PURE = {
      "io.tributary.target..", "io.tributary.translate..", "io.tributary.plan..",
      "io.tributary.consul..", "io.tributary.dns..", "io.tributary.traefik.."};

  @Test
  void planningAndTranslationUseNoPekkoNoIoAndNoClock() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "java.nio.file..", "java.net..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .because("translation and planning are pure functions, tested exhaustively with plain JUnit")
        .check(PIPELINE);
  }

  @Test
  void onlyTheTimePackageReadsTheClockOrUsesActors() {
    noClasses().that().resideOutsideOfPackage("io.tributary.time..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
        .orShould().dependOnClassesThat().resideInAnyPackage("org.apache.pekko.actor..")
        .because("time is injected (the simulator drives it), and actors live in the actors module")
        .check(PIPELINE);
  }

  @Test
  void pipelinePackagesFormNoCycle() {
    slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(PIPELINE);
  }
}
