package io.parsimony;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * parsimony-core's package rules: it is pure Java (budgets, layouts, energy, search), so the
 * counting and the search can be used and tested without an engine; and its packages form no
 * cycle. The rules across modules are parsimony-cli's ArchitectureTest, which sees every module.
 */
@AnalyzeClasses(packages = "io.parsimony", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

    @ArchTest
    static final ArchRule coreImportsNoDjl = noClasses().that().resideInAPackage("io.parsimony..")
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("parsimony-core is pure Java: layouts, counts and the search need no engine");

    @ArchTest
    static final ArchRule corePackagesFormNoCycle = slices().matching("io.parsimony.(**)")
            .should().beFreeOfCycles();
}
