package io.keel.raft.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The purity rule of the Raft core (DESIGN.md section 3): no I/O, no threads or timers, no clock,
 * no Vert.x and no randomness it did not receive. The core must behave identically in production
 * and in the deterministic simulation, which is only possible if everything that varies between
 * runs comes in through its API (tick, step, the injected RandomGenerator).
 *
 * <p>Stateless holder of immutable ArchUnit rules; thread-safe.
 */
final class RaftPurityRules {
    /** Only in-memory or exception types of java.io are harmless to a pure state machine. */
    private static final Set<String> ALLOWED_JAVA_IO = Set.of(
            "java.io.Serializable", "java.io.Serial", "java.io.IOException", "java.io.UncheckedIOException",
            "java.io.ByteArrayInputStream", "java.io.ByteArrayOutputStream");

    private static final Set<String> THREAD_TYPES = Set.of(
            "java.lang.Thread", "java.lang.ThreadGroup", "java.lang.Thread$Builder",
            "java.util.Timer", "java.util.TimerTask",
            "java.util.concurrent.Executor", "java.util.concurrent.ExecutorService",
            "java.util.concurrent.Executors", "java.util.concurrent.ScheduledExecutorService",
            "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.ThreadFactory");

    /** Types whose mere use means randomness not handed in by the caller. */
    private static final Set<String> SELF_SEEDED_RANDOM_TYPES = Set.of(
            "java.util.concurrent.ThreadLocalRandom", "java.security.SecureRandom",
            "java.util.random.RandomGeneratorFactory");

    /** Random sources the core might construct itself instead of using the injected one. */
    private static final Set<String> CONSTRUCTIBLE_RANDOMS = Set.of(
            "java.util.Random", "java.util.SplittableRandom", "java.security.SecureRandom");

    private RaftPurityRules() {
    }

    /** The whole rule, for every class in {@code io.keel.raft..} handed to it. */
    static ArchRule pureCore() {
        return noClasses().that().resideInAPackage("io.keel.raft..")
                .should().dependOnClassesThat(ioOrNetworkTypes())
                .orShould().dependOnClassesThat(threadTypes())
                .orShould().callMethodWhere(asyncFutureCall())
                .orShould().callMethodWhere(parallelStreamCall())
                .orShould().callMethodWhere(clockRead())
                .orShould().dependOnClassesThat(clockTypes())
                .orShould().dependOnClassesThat(resideInAnyPackage("io.vertx.."))
                .orShould().dependOnClassesThat(selfSeededRandomTypes())
                .orShould().callMethodWhere(selfSeededRandomCall())
                .orShould().callConstructorWhere(randomConstruction())
                .because("the Raft core is a pure state machine: the same inputs and the same injected "
                        + "RandomGenerator must give the same outputs, in production and in simulation");
    }

    static DescribedPredicate<JavaClass> ioOrNetworkTypes() {
        return describe("do file or network I/O (java.io streams/files, java.nio.file, java.nio.channels, java.net)",
                c -> (c.getPackageName().equals("java.io") && !ALLOWED_JAVA_IO.contains(c.getName()))
                        || c.getPackageName().startsWith("java.nio.file")
                        || c.getPackageName().startsWith("java.nio.channels")
                        || c.getPackageName().startsWith("java.net"));
    }

    static DescribedPredicate<JavaClass> threadTypes() {
        return describe("start threads, executors or timers", c -> THREAD_TYPES.contains(c.getName()));
    }

    static DescribedPredicate<JavaClass> clockTypes() {
        return describe("read a clock (java.time.Clock / InstantSource)",
                c -> c.getName().equals("java.time.Clock") || c.getName().equals("java.time.InstantSource"));
    }

    static DescribedPredicate<JavaClass> selfSeededRandomTypes() {
        return describe("use self-seeded randomness (ThreadLocalRandom, SecureRandom, RandomGeneratorFactory)",
                c -> SELF_SEEDED_RANDOM_TYPES.contains(c.getName()));
    }

    static DescribedPredicate<JavaCall<?>> asyncFutureCall() {
        return describe("run CompletableFuture work asynchronously",
                call -> call.getTargetOwner().getName().equals("java.util.concurrent.CompletableFuture")
                        && call.getName().endsWith("Async"));
    }

    static DescribedPredicate<JavaCall<?>> parallelStreamCall() {
        return describe("run parallel streams on the common pool",
                call -> call.getName().equals("parallelStream")
                        || (call.getName().equals("parallel") && call.getTargetOwner().getPackageName()
                        .equals("java.util.stream")));
    }

    static DescribedPredicate<JavaCall<?>> clockRead() {
        return describe("read the wall clock (System.currentTimeMillis/nanoTime, java.time *.now())",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return (owner.equals("java.lang.System")
                            && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
                            || (call.getTargetOwner().getPackageName().equals("java.time") && name.equals("now"));
                });
    }

    static DescribedPredicate<JavaCall<?>> selfSeededRandomCall() {
        return describe("draw implicitly seeded random numbers (Math.random, RandomGenerator.getDefault/of)",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return ((owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath"))
                            && name.equals("random"))
                            || (owner.equals("java.util.random.RandomGenerator")
                            && (name.equals("getDefault") || name.equals("of")));
                });
    }

    static DescribedPredicate<JavaCall<?>> randomConstruction() {
        return describe("construct its own random source instead of using the injected RandomGenerator",
                call -> CONSTRUCTIBLE_RANDOMS.contains(call.getTargetOwner().getName()));
    }
}
