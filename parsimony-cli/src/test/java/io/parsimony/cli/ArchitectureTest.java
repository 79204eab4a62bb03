package io.parsimony.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules across modules, checked here because parsimony-cli's test classpath holds
 * every module's classes: no package cycle anywhere; the CLI calls into the modules and nothing
 * calls into it; inside the CLI the packages form a tree (the root registers the command
 * packages, which share only {@code cli.options} and {@code cli.output}); and the CLI touches no
 * engine (measuring, building and training live in the modules). parsimony-core's own rules
 * (no DJL) are its CoreArchitectureTest.
 */
@AnalyzeClasses(packages = "io.parsimony", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] SHARED = {"io.parsimony.cli.options..", "io.parsimony.cli.output.."};

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.parsimony.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule nothingOutsideTheCliDependsOnIt = noClasses().that().resideOutsideOfPackage("io.parsimony.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.parsimony.cli..")
            .because("the CLI only calls into the modules; a library user never needs picocli or a command");

    @ArchTest
    static final ArchRule commandPackagesDoNotDependOnEachOther = slices().matching("io.parsimony.cli.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(alwaysTrue(), resideInAnyPackage(SHARED))
            .because("what two command packages share belongs in cli.options or cli.output");

    @ArchTest
    static final ArchRule commandPackagesDoNotDependOnTheRoot = noClasses().that().resideInAPackage("io.parsimony.cli.*..")
            .should().dependOnClassesThat().resideInAPackage("io.parsimony.cli")
            .because("the root package registers the commands; they must not import it back");

    @ArchTest
    static final ArchRule sharedPackagesDependOnNoCommand = noClasses().that().resideInAnyPackage(SHARED)
            .should().dependOnClassesThat(resideInAPackage("io.parsimony.cli..").and(not(resideInAnyPackage(SHARED))))
            .because("options and output are leaves of the CLI's package tree");

    @ArchTest
    static final ArchRule theCliTouchesNoEngine = noClasses().that().resideInAPackage("io.parsimony.cli..")
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("commands parse, call a module and print: measuring, building and training live in the modules");
}
