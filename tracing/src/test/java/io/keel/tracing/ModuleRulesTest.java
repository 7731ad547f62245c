package io.keel.tracing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries from DESIGN.md §2 and §6, checked on the compiled production classes. */
class ModuleRulesTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.keel.tracing");

    @Test
    void importsNoVertx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..").check(PRODUCTION);
    }

    @Test
    void theServerFacadeDoesNotExposeOpenTelemetry() {
        noClasses().that().resideInAPackage("io.keel.tracing.span..")
                .should().dependOnClassesThat().resideInAPackage("io.opentelemetry..").check(PRODUCTION);
    }

    @Test
    void spansNeverTravelThroughThreadLocalsOrTheCurrentContext() {
        noClasses().should().callMethod(io.opentelemetry.context.Context.class, "current")
                .orShould().callMethod(io.opentelemetry.context.Context.class, "makeCurrent")
                .orShould().callMethod(io.opentelemetry.api.trace.Span.class, "current")
                .orShould().dependOnClassesThat().areAssignableTo(ThreadLocal.class)
                .check(PRODUCTION);
    }

    @Test
    void hasNoCatchAllPackages() {
        noClasses().should().resideInAnyPackage("..util..", "..impl..", "..common..").check(PRODUCTION);
    }
}
