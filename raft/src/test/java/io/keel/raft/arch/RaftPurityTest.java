package io.keel.raft.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.keel.raft.arch.fixture.ImpureFixtures;
import io.keel.raft.arch.fixture.PureFixture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holds the Raft core to its purity rule, and proves the rule can see each kind of violation. */
class RaftPurityTest {

    @BeforeAll
    static void judgeByNamesOnly() {
        // The rule looks only at names of JDK types, so loading the JDK's class files is wasted time.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    @AfterAll
    static void restoreDefaults() {
        ArchConfiguration.get().reset();
    }

    @Test
    void raftMainCodeDoesNoIoStartsNoThreadsReadsNoClockAndDrawsOnlyInjectedRandomness() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.keel.raft");
        assertThat(core).as("raft main classes were imported").isNotEmpty();
        RaftPurityRules.pureCore().check(core);
    }

    @Test
    void ruleAcceptsInjectedRandomnessAndInMemoryBuffers() {
        EvaluationResult result = RaftPurityRules.pureCore()
                .evaluate(new ClassFileImporter().importClasses(PureFixture.class));
        assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
    }

    static Stream<Class<?>> offenders() {
        return Stream.of(ImpureFixtures.class.getDeclaredClasses());
    }

    @ParameterizedTest
    @MethodSource("offenders")
    void ruleRejectsEachKindOfImpurity(Class<?> offender) {
        EvaluationResult result = RaftPurityRules.pureCore()
                .evaluate(new ClassFileImporter().importClasses(offender));
        assertThat(result.hasViolation()).as(offender.getSimpleName() + " must violate the rule").isTrue();
    }
}
