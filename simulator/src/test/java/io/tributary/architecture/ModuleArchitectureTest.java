package io.tributary.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Rules across modules, checked where every module's classes are on the class path: the running
 * service (actors) never reaches into the simulator or the command line, which build on it.
 */
class ModuleArchitectureTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tributary");

  /** Classes of the actors module: packages are shared across modules, so this goes by where a class was loaded from. */
  private static final DescribedPredicate<JavaClass> IN_ACTORS = DescribedPredicate.describe("are in the actors module",
      c -> c.getSource().map(s -> s.getUri().toString()).filter(u -> u.contains("/actors/target/") || u.contains("tributary-actors"))
          .isPresent());

  @Test
  void actorsNeverImportTheSimulatorOrTheCommandLine() {
    assertThat(ALL.stream().filter(IN_ACTORS)).as("actors classes found").isNotEmpty();
    noClasses().that(IN_ACTORS)
        .should().dependOnClassesThat().resideInAnyPackage("io.tributary.cli..", "io.tributary.replay..")
        .because("the simulator and the CLI build on the service, never the other way round")
        .check(ALL);
  }
}
