package io.parsimony.experiment.sweep;

import io.parsimony.nn.engine.NumericsMode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one worker process: this JVM's java, its classpath, its {@code -D}/{@code -Xmx}
 * options, and the thread settings that give the worker its share of the cores:
 * {@code -Dai.djl.pytorch.num_threads=T} (PyTorch intra-op threads),
 * {@code -Dai.djl.pytorch.num_interop_threads=1}, {@code -XX:ActiveProcessorCount=T} (JVM
 * helper threads) and {@code OMP_NUM_THREADS=MKL_NUM_THREADS=T}.
 *
 * @param command the whole command line
 * @param env     variables added to the inherited environment
 */
public record WorkerLauncher(List<String> command, Map<String, String> env) {

    /** The worker's main class in this module (what tests start). */
    public static final List<String> DEFAULT_MAIN = List.of(SweepWorker.class.getName());

    /** A worker running {@code mainAndArgs} (e.g. the CLI's hidden {@code sweep worker}) with {@code threads} threads. */
    public static WorkerLauncher java(List<String> mainAndArgs, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean offline = false;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Dai.djl.pytorch.num_") || a.startsWith("-XX:ActiveProcessorCount")) {
                continue;
            }
            if (a.startsWith("-Xmx") || a.startsWith("-D")) {
                cmd.add(a);
                offline |= a.startsWith("-Dai.djl.offline");
            }
        }
        if (!offline && System.getProperty("ai.djl.offline") != null) {
            cmd.add("-Dai.djl.offline=" + System.getProperty("ai.djl.offline"));
        }
        String home = System.getProperty(io.parsimony.nn.data.Installation.HOME_PROPERTY);
        if (home != null && cmd.stream().noneMatch(a -> a.startsWith("-D" + io.parsimony.nn.data.Installation.HOME_PROPERTY + "="))) {
            cmd.add("-D" + io.parsimony.nn.data.Installation.HOME_PROPERTY + "=" + home);   // workers find shared/ as we do
        }
        String numerics = System.getProperty(NumericsMode.PROPERTY);
        if (numerics != null && cmd.stream().noneMatch(a -> a.startsWith("-D" + NumericsMode.PROPERTY + "="))) {
            cmd.add("-D" + NumericsMode.PROPERTY + "=" + numerics);   // --numerics holds for the workers too
        }
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-XX:ActiveProcessorCount=" + threads);
        cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", String.valueOf(threads));
        env.put("MKL_NUM_THREADS", String.valueOf(threads));
        return new WorkerLauncher(List.copyOf(cmd), env);
    }

    public WorkerLauncher withEnv(String key, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(key, value);
        return new WorkerLauncher(command, e);
    }
}
