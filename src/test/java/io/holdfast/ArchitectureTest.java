package io.holdfast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of the README's map, checked on the compiled main classes: the top-level packages form no
 * cycle; only the redis module and classes named {@code Redis*} touch Lettuce or Spring Data Redis; HTTP (problems,
 * Spring MVC) stays in {@code web} packages, so features refuse in their own words ({@link Refusal}).
 */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.holdfast");

    static final ArchRule NO_CYCLES = slices().matching("io.holdfast.(*)..").should().beFreeOfCycles();

    static final ArchRule REDIS_IN_ITS_PLACE = noClasses()
            .that().resideOutsideOfPackage("io.holdfast.redis..")
            .and(DescribedPredicate.not(simpleNameStartingWith("Redis")))
            .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "org.springframework.data.redis..")
            .because("Redis is reached through the redis module, or by a class that says so in its name");

    static final ArchRule HTTP_AT_THE_EDGE = noClasses()
            .that().resideOutsideOfPackage("..web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.holdfast.web.ApiProblem")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.holdfast.web.ProblemCode")
            .because("features refuse with their own exceptions; web packages turn them into HTTP answers");

    @Test
    void featuresFormNoCycle() {
        NO_CYCLES.check(MAIN);
    }

    @Test
    void onlyTheRedisModuleAndRedisClassesTouchRedis() {
        REDIS_IN_ITS_PLACE.check(MAIN);
    }

    @Test
    void httpStaysInWebPackages() {
        HTTP_AT_THE_EDGE.check(MAIN);
    }

    private static DescribedPredicate<JavaClass> simpleNameStartingWith(String prefix) {
        // Nested and anonymous classes go by their outermost class's name: RedisTemporaryStore$1 is Redis code too.
        return DescribedPredicate.describe("have a simple name starting with '" + prefix + "'",
                javaClass -> outermost(javaClass).getSimpleName().startsWith(prefix));
    }

    private static JavaClass outermost(JavaClass javaClass) {
        JavaClass outer = javaClass;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
