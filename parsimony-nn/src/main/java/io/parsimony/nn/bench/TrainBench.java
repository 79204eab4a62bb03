package io.parsimony.nn.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import io.parsimony.InputException;
import io.parsimony.InterruptedWorkException;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.engine.MemoryFormat;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.Regulators;
import io.parsimony.nn.train.Networks;
import io.parsimony.nn.train.OpProfile;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingStep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Training throughput of the reference architectures beside PyTorch eager measured in the same
 * run by {@code shared/bench/torch_reference.py} ({@link TorchReference}): same batch, steps,
 * warm-up, threads, random 3×32×32 inputs and SGD (lr 0.01, momentum 0.9, decay 5e-4). Also the
 * images/s the batch loader delivers alone ({@link LoaderBench}), which must exceed the training
 * step's.
 *
 * <p>This machine's speed drifts by ±15% over tens of seconds (other tenants), for both sides
 * alike. So the two sides alternate for {@code rounds} rounds, each a fresh model, warm-up and
 * timed steps; the ratio reported is the median of the per-round ratios, with their range.
 */
public final class TrainBench {

    /** A benchmark network and the image shape it is fed (the reference script's defaults for it). */
    public record Arch(Supplier<ModelSpec> spec, int channels, int size) {
    }

    /**
     * The reference script's architectures, built identically: plain4 = (35,36,37,43) with pools
     * after convs 1-3; dacnn14 = a 3→128 stem and 13 applications of one 128×128 kernel with
     * pools after conv layers 4, 7, 10 (applications 3, 6, 9); resnet32 = (16,16,32,64)×(1,10,10,10);
     * fmnist4 = the main job's max-energy net (32,34,36,54) on 1×28×28 grey images.
     */
    public static final Map<String, Arch> ARCHS;

    static {
        Map<String, Arch> archs = new LinkedHashMap<>();
        archs.put("plain4", new Arch(() -> ModelCatalog.parse("plain:35,36,37,43", 3, 10, 32), 3, 32));
        archs.put("dacnn14", new Arch(() -> DacnnSpec.plain(3, 10, 13, 128, false, new int[] {3, 6, 9}, Regulators.NONE), 3, 32));
        archs.put("resnet32", new Arch(() -> ModelCatalog.parse("resnet:16,16,32,64/1,10,10,10", 3, 10, 32), 3, 32));
        archs.put("fmnist4", new Arch(() -> ModelCatalog.parse("plain:32,34,36,54", 1, 10, 28), 1, 28));
        ARCHS = Collections.unmodifiableMap(archs);
    }

    /** Medians over the rounds; {@code ratioLow}/{@code ratioHigh} are the smallest and largest per-round ratio. */
    public record Row(String arch, double parsimonyImagesPerSecond, double parsimonyMsPerStep, Double torchImagesPerSecond,
                      Double torchMsPerStep, Double ratio, Double ratioLow, Double ratioHigh, String torchVersion,
                      String memoryFormat, int rounds) {
    }

    /** The rows, the loader alone, and what they ran on. */
    public record Result(List<Row> rows, double loaderImagesPerSecond, int threads, String cpu, String memoryFormat) {
    }

    /** Self time and calls of one op per step, ours and PyTorch's (null where that side did not run it). */
    public record Op(String name, Double oursMs, Double theirsMs, Long oursCalls, Long theirsCalls) {
    }

    /**
     * A profiled run of each side: the 16 ops of most self time on either side, and all ops' self
     * time per step (PyTorch's null without its side). The traces are in {@code dir}.
     */
    public record Profile(String name, Path dir, List<Op> ops, double oursMs, Double theirsMs) {
    }

    /** What a long benchmark reports as it goes. */
    public interface Listener {
        /** One round of one architecture; {@code theirs} and {@code ratio} are null without a reference. */
        default void round(String arch, int round, int rounds, double ours, Double theirs, Double ratio) {
        }

        /** The op profile of one architecture, after its rounds. */
        default void profiled(Profile profile) {
        }
    }

    private final int batch;
    private final int steps;
    private final int warmup;
    private final int rounds;
    private final int threads;
    private final Path profile;

    /**
     * Sets this process's intra-op threads to {@code threads} (0: all cores) and one inter-op
     * thread, as the reference is told, unless {@code PARSIMONY_BENCH_NOPROPS} is set.
     *
     * @param profile where to write one more profiled run of each side, or null for none
     */
    public TrainBench(int batch, int steps, int warmup, int rounds, int threads, Path profile) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (System.getenv("PARSIMONY_BENCH_NOPROPS") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(this.threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (batch < 1) {
            throw new InputException("--batch must be at least 1, got " + batch);
        }
        if (rounds < 1) {
            throw new InputException("--rounds must be at least 1, got " + rounds);
        }
        this.batch = batch;
        this.steps = steps;
        this.warmup = warmup;
        this.rounds = rounds;
        this.profile = profile;
    }

    /**
     * The architectures named in {@code archs} (null: all, unless models are given) followed by
     * the catalogue models {@code models} on 3×32×32 inputs (no reference: the script builds only its own).
     */
    public static Map<String, Arch> select(List<String> archs, List<String> models) {
        if (archs != null && !ARCHS.keySet().containsAll(archs)) {
            throw new InputException("--arch takes " + String.join(",", ARCHS.keySet()) + ", got " + archs);
        }
        Map<String, Arch> selected = new LinkedHashMap<>();
        ARCHS.forEach((name, arch) -> {
            if (archs != null ? archs.contains(name) : models == null) {
                selected.put(name, arch);
            }
        });
        for (String model : models == null ? List.<String>of() : models) {
            ModelSpec parsed = ModelCatalog.parse(model, 3, 10, 32);   // a bad spec ends here in one line
            selected.put(model, new Arch(() -> parsed, 3, 32));
        }
        return selected;
    }

    /** Whether any of {@code selected} has a PyTorch reference (is one of {@link #ARCHS}). */
    public static boolean referenced(Map<String, Arch> selected) {
        return selected.keySet().stream().anyMatch(ARCHS::containsKey);
    }

    public int threads() {
        return threads;
    }

    /** Times each of {@code selected} for the rounds, beside {@code reference} (null: ours only) where it has the architecture. */
    public Result run(Map<String, Arch> selected, TorchReference reference, Listener listener) {
        String format = MemoryFormat.forDevice(Device.cpu()).label();
        List<Row> rows = new ArrayList<>();
        for (var entry : selected.entrySet()) {
            String arch = entry.getKey();
            boolean referenced = ARCHS.containsKey(arch);
            List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>(), ratios = new ArrayList<>();
            JsonNode ref = null;
            for (int round = 0; round < rounds; round++) {
                ours.add(measure(entry.getValue()));
                ref = reference == null || !referenced ? null : reference.measure(arch, batch, steps, warmup, threads);
                if (ref != null) {
                    theirs.add(ref.get("images_per_s").asDouble());
                    ratios.add(ours.get(round) / theirs.get(round));
                }
                listener.round(arch, round, rounds, ours.get(round), ref == null ? null : theirs.get(round),
                        ref == null ? null : ratios.get(round));
            }
            if (profile != null) {
                listener.profiled(profileOps(entry.getValue(), arch.replaceAll("[^\\w.-]", "_"), referenced ? reference : null));
            }
            double ips = median(ours);
            Double tips = theirs.isEmpty() ? null : median(theirs);
            rows.add(new Row(arch, ips, 1000.0 * batch / ips, tips, tips == null ? null : 1000.0 * batch / tips,
                    ratios.isEmpty() ? null : median(ratios),
                    ratios.isEmpty() ? null : ratios.stream().min(Double::compare).get(),
                    ratios.isEmpty() ? null : ratios.stream().max(Double::compare).get(),
                    ref == null ? null : ref.path("torch").asText(), format, rounds));
        }
        return new Result(rows, LoaderBench.syntheticImagesPerSecond(batch), threads, cpu(), format);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The processor and its vector extensions (from /proc/cpuinfo): the same machine kind runs on hosts whose
     * oneDNN kernels differ (AVX2, AVX-512, AVX-512 BF16/FP16, AMX), and the ratios with them.
     */
    public static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown model");
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).strip().split("\\s+"))
                            .filter(f -> f.matches("avx2|avx512f|avx512_bf16|avx512_fp16|avx512_vnni|amx_\\w+|avx_vnni"))
                            .collect(Collectors.joining(" "))).orElse("");
            return model + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                    + (flags.isEmpty() ? "" : ", " + flags);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
    }

    /** This process's allocator: jemalloc (with its MALLOC_CONF) when preloaded, else glibc malloc. */
    public static String allocator() {
        Map<String, String> env = System.getenv();
        String pre = env.getOrDefault("LD_PRELOAD", "");
        return pre.contains("jemalloc") ? "jemalloc (" + env.getOrDefault("MALLOC_CONF", "default") + ")" : "glibc malloc";
    }

    /** A benchmark runs for minutes; an embedding program (or a time-boxed test) may stop it between steps. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedWorkException("bench train interrupted; no figures were printed for the unfinished architecture");
        }
    }

    /** Images/s of the real training step on fixed random data, as the script does. */
    double measure(Arch arch) {
        return measure(arch, null);
    }

    /**
     * One profiled run per side. The profiler's own cost is in these times, so they explain a
     * step, they do not replace the timed rounds.
     */
    private Profile profileOps(Arch arch, String name, TorchReference reference) {
        try {
            Path ours = profile.resolve(name + "-parsimony.json");
            measure(arch, ours);
            Map<String, OpProfile.OpTime> a = byName(OpProfile.read(ours));
            Map<String, OpProfile.OpTime> b = Map.of();
            if (reference != null) {
                Path theirs = profile.resolve(name + "-pytorch.json");
                reference.profile(name, batch, steps, warmup, threads, theirs);
                b = byName(OpProfile.read(theirs));
            }
            Set<String> names = new LinkedHashSet<>();
            Stream.concat(a.values().stream(), b.values().stream())
                    .sorted(Comparator.comparingDouble(OpProfile.OpTime::selfMs).reversed())
                    .map(OpProfile.OpTime::name).forEach(names::add);
            List<Op> ops = new ArrayList<>();
            for (String op : names.stream().limit(16).toList()) {
                OpProfile.OpTime x = a.get(op), y = b.get(op);
                ops.add(new Op(op, x == null ? null : x.selfMs() / steps, y == null ? null : y.selfMs() / steps,
                        x == null ? null : x.calls() / steps, y == null ? null : y.calls() / steps));
            }
            double sumA = a.values().stream().mapToDouble(OpProfile.OpTime::selfMs).sum() / steps;
            double sumB = b.values().stream().mapToDouble(OpProfile.OpTime::selfMs).sum() / steps;
            return new Profile(name, profile, ops, sumA, b.isEmpty() ? null : sumB);
        } catch (IOException e) {
            throw new InputException("cannot write or read the profile in " + profile + ": " + e.getMessage());
        }
    }

    private static Map<String, OpProfile.OpTime> byName(List<OpProfile.OpTime> ops) {
        Map<String, OpProfile.OpTime> m = new LinkedHashMap<>();
        ops.forEach(o -> m.put(o.name(), o));
        return m;
    }

    private double measure(Arch arch, Path trace) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            Block block = arch.spec().get().build();
            Shape shape = new Shape(batch, arch.channels(), arch.size(), arch.size());
            Networks.initialize(block, manager, shape);   // as training does
            TrainingStep step = new TrainingStep(block, manager, OptimizerKind.SGD, 0.9, 5e-4);
            Random rng = new Random(0);
            float[] x = new float[(int) shape.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            int[] y = rng.ints(batch, 0, 10).toArray();
            for (int i = 0; i < warmup; i++) {
                stopIfInterrupted();
                step.forwardBackward(x, y, shape);
                step.update(0.01);
            }
            if (trace != null) {
                OpProfile.start();
            }
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    stopIfInterrupted();
                    step.forwardBackward(x, y, shape);
                    step.update(0.01);
                }
                return batch * (double) steps / ((System.nanoTime() - t0) / 1e9);
            } finally {
                if (trace != null) {   // always stopped: libtorch refuses a second recording while one is open
                    try {
                        OpProfile.stop(trace);
                    } catch (IOException e) {
                        throw new InputException("cannot write the profile " + trace + ": " + e.getMessage());
                    }
                }
            }
        }
    }
}
