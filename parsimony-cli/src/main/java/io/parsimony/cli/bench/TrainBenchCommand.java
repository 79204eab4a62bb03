package io.parsimony.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.MemoryFormat;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.Networks;
import io.parsimony.nn.train.OpProfile;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training throughput of the three reference architectures beside PyTorch eager measured in
 * the same run by {@code ../shared/bench/torch_reference.py}: same batch, steps, warm-up,
 * threads, random 3×32×32 inputs and SGD (lr 0.01, momentum 0.9, decay 5e-4). Also the
 * images/s the batch loader delivers alone, which must exceed the training step's.
 *
 * <p>This machine's speed drifts by ±15% over tens of seconds (other tenants), for both sides
 * alike. So the two sides alternate for {@code --rounds} rounds, each a fresh model, warm-up and
 * timed steps; the ratio reported is the median of the per-round ratios, with their range.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training images/s of plain4, dacnn14, resnet32, fmnist4 beside PyTorch eager (same run), and the loader alone.")
public final class TrainBenchCommand implements Runnable {

    /**
     * The reference script's architectures, built identically: plain4 = (35,36,37,43) with pools
     * after convs 1-3; dacnn14 = a 3→128 stem and 13 applications of one 128×128 kernel with
     * pools after conv layers 4, 7, 10 (applications 3, 6, 9); resnet32 = (16,16,32,64)×(1,10,10,10);
     * fmnist4 = the main job's max-energy net (32,34,36,54) on 1×28×28 grey images.
     */
    static final java.util.Map<String, Arch> ARCHS = new java.util.LinkedHashMap<>();

    /** A benchmark network and the image shape it is fed (the reference script's defaults for it). */
    record Arch(java.util.function.Supplier<ModelSpec> spec, int channels, int size) {
    }

    static {
        ARCHS.put("plain4", new Arch(() -> ModelCatalog.parse("plain:35,36,37,43", 3, 10, 32), 3, 32));
        ARCHS.put("dacnn14", new Arch(() -> io.parsimony.nn.model.DacnnSpec.plain(3, 10, 13, 128, false, new int[] {3, 6, 9},
                io.parsimony.nn.model.Regulators.NONE), 3, 32));
        ARCHS.put("resnet32", new Arch(() -> ModelCatalog.parse("resnet:16,16,32,64/1,10,10,10", 3, 10, 32), 3, 32));
        ARCHS.put("fmnist4", new Arch(() -> ModelCatalog.parse("plain:32,34,36,54", 1, 10, 28), 1, 28));
    }

    @Option(names = "--arch", split = ",", description = "Subset of plain4,dacnn14,resnet32,fmnist4 (default: all).")
    List<String> archs;

    @Option(names = "--model", split = ",(?=[a-z])", paramLabel = "SPEC",
            description = "Also (or, without --arch, only) time these models on 3x32x32 inputs, e.g. resnet:19,34,41,49/1,10,10,10 "
                    + "(no PyTorch reference: the script builds only its own architectures).")
    List<String> models;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}, as the script).")
    int batch;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Alternate Parsimony and PyTorch this many times per arch; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads for both (0 = all cores).")
    int threads;

    @Option(names = "--reference", paramLabel = "SCRIPT", description = "torch_reference.py (default: shared/bench/ beside the installation).")
    Path reference;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-reference", description = "Skip the PyTorch side.")
    boolean noReference;

    @Option(names = "--reference-allocator", defaultValue = "stock", paramLabel = "stock|same",
            description = "Run PyTorch with its stock allocator (default) or with this process's LD_PRELOAD/MALLOC_CONF.")
    String referenceAllocator;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "After the rounds, profile one more run of each side op by op (libtorch's profiler; torch.profiler for "
                    + "the reference), write the Chrome traces to DIR and print self time per op and step.")
    Path profile;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** Medians over the rounds; {@code ratioLow}/{@code ratioHigh} are the smallest and largest per-round ratio. */
    public record Row(String arch, double parsimonyImagesPerSecond, double parsimonyMsPerStep, Double torchImagesPerSecond,
                      Double torchMsPerStep, Double ratio, Double ratioLow, Double ratioHigh, String torchVersion,
                      String memoryFormat, int rounds) {
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public void run() {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (System.getenv("PARSIMONY_BENCH_NOPROPS") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(t));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = new ArrayList<>();
        if (batch < 1) {
            throw new io.parsimony.cli.output.UserException("--batch must be at least 1, got " + batch);
        }
        if (rounds < 1) {
            throw new io.parsimony.cli.output.UserException("--rounds must be at least 1, got " + rounds);
        }
        MemoryFormat format = MemoryFormat.forDevice(ai.djl.Device.cpu());
        if (archs != null && !ARCHS.keySet().containsAll(archs)) {
            throw new io.parsimony.cli.output.UserException("--arch takes " + String.join(",", ARCHS.keySet()) + ", got " + archs);
        }
        java.util.Map<String, Arch> selected = new java.util.LinkedHashMap<>();
        ARCHS.forEach((name, arch) -> {
            if (archs != null ? archs.contains(name) : models == null) {
                selected.put(name, arch);
            }
        });
        for (String model : models == null ? List.<String>of() : models) {
            ModelSpec parsed = ModelCatalog.parse(model, 3, 10, 32);   // a bad spec ends here in one line
            selected.put(model, new Arch(() -> parsed, 3, 32));
        }
        Path script = noReference || selected.keySet().stream().noneMatch(ARCHS::containsKey) ? null : findScript();
        for (var entry : selected.entrySet()) {
            String[] arch = {entry.getKey()};
            boolean referenced = ARCHS.containsKey(arch[0]);
            List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>(), ratios = new ArrayList<>();
            JsonNode ref = null;
            for (int round = 0; round < rounds; round++) {
                ours.add(measure(entry.getValue()));
                ref = script == null || !referenced ? null : torch(script, arch[0], t);
                if (ref != null) {
                    theirs.add(ref.get("images_per_s").asDouble());
                    ratios.add(ours.get(round) / theirs.get(round));
                }
                if (!output.json()) {
                    out.printf("%s round %d/%d: parsimony %,.0f images/s%s%n", arch[0], round + 1, rounds, ours.get(round),
                            ref == null ? "" : String.format(", pytorch %,.0f images/s, ratio %.2fx", theirs.get(round), ratios.get(round)));
                    out.flush();
                }
            }
            if (profile != null) {
                profileOps(out, entry.getValue(), arch[0].replaceAll("[^\\w.-]", "_"), referenced ? script : null, t);
            }
            double ips = median(ours);
            Double tips = theirs.isEmpty() ? null : median(theirs);
            rows.add(new Row(arch[0], ips, 1000.0 * batch / ips, tips, tips == null ? null : 1000.0 * batch / tips,
                    ratios.isEmpty() ? null : median(ratios),
                    ratios.isEmpty() ? null : ratios.stream().min(Double::compare).get(),
                    ratios.isEmpty() ? null : ratios.stream().max(Double::compare).get(),
                    ref == null ? null : ref.path("torch").asText(), format.label(), rounds));
        }
        double loader = loaderImagesPerSecond();
        if (output.json()) {
            Output.writeJson(out, java.util.Map.of("rows", rows, "loaderImagesPerSecond", loader, "threads", t,
                    "cpu", cpu()));
            return;
        }
        Output.writeTable(out, rows,
                Col.left("arch", Row::arch),
                Col.right("parsimony img/s", r -> Output.fixed(r.parsimonyImagesPerSecond(), 0)),
                Col.right("ms/step", r -> Output.fixed(r.parsimonyMsPerStep(), 1)),
                Col.right("pytorch img/s", r -> r.torchImagesPerSecond() == null ? "-" : Output.fixed(r.torchImagesPerSecond(), 0)),
                Col.right("ms/step ", r -> r.torchMsPerStep() == null ? "-" : Output.fixed(r.torchMsPerStep(), 1)),
                Col.right("ratio", r -> r.ratio() == null ? "-" : String.format("%.2fx", r.ratio())),
                Col.right("ratio range", r -> r.ratio() == null ? "-" : String.format("%.2f-%.2f", r.ratioLow(), r.ratioHigh())));
        out.printf("batch %d, %d timed steps after %d warm-up, %d intra-op threads, medians of %d alternating rounds; "
                + "memory format %s; loader alone: %,.0f images/s (3x32x32, crop+flip)%n",
                batch, steps, warmup, t, rounds, format.label(), loader);
        out.printf("cpu: %s%n", cpu());
        out.printf("allocator: parsimony %s; pytorch %s%n", allocator(System.getenv()),
                "same".equalsIgnoreCase(referenceAllocator) ? "the same" : "stock (glibc malloc)");
        out.flush();
    }

    /**
     * The processor and its vector extensions (from /proc/cpuinfo): the same machine kind runs on hosts whose
     * oneDNN kernels differ (AVX2, AVX-512, AVX-512 BF16/FP16, AMX), and the ratios with them.
     */
    static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown model");
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> java.util.Arrays.stream(l.substring(l.indexOf(':') + 1).strip().split("\\s+"))
                            .filter(f -> f.matches("avx2|avx512f|avx512_bf16|avx512_fp16|avx512_vnni|amx_\\w+|avx_vnni"))
                            .collect(java.util.stream.Collectors.joining(" "))).orElse("");
            return model + ", " + Runtime.getRuntime().availableProcessors() + " cores"
                    + (flags.isEmpty() ? "" : ", " + flags);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
    }

    /** A benchmark runs for minutes; an embedding program (or a time-boxed test) may stop it between steps. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new io.parsimony.InterruptedWorkException("bench train interrupted; no figures were printed for the unfinished architecture");
        }
    }

    private static String allocator(java.util.Map<String, String> env) {
        String pre = env.getOrDefault("LD_PRELOAD", "");
        return pre.contains("jemalloc") ? "jemalloc (" + env.getOrDefault("MALLOC_CONF", "default") + ")" : "glibc malloc";
    }

    /** Images/s of the real training step on fixed random data, as the script does. */
    double measure(Arch arch) {
        return measure(arch, null);
    }

    /**
     * One profiled run per side; prints the ops that take most self time per step on either side.
     * The profiler's own cost is in these times, so they explain a step, they do not replace the timed rounds.
     */
    private void profileOps(PrintWriter out, Arch arch, String name, Path script, int t) {
        try {
            Path ours = profile.resolve(name + "-parsimony.json");
            measure(arch, ours);
            java.util.Map<String, OpProfile.OpTime> a = byName(OpProfile.read(ours));
            java.util.Map<String, OpProfile.OpTime> b = java.util.Map.of();
            if (script != null) {
                Path theirs = profile.resolve(name + "-pytorch.json");
                Path wrapper = Files.createTempFile("profile_reference", ".py");
                try (var in = TrainBenchCommand.class.getResourceAsStream("profile_reference.py")) {
                    Files.write(wrapper, in.readAllBytes());
                }
                try {
                    runReference(List.of(python, wrapper.toString(), script.toString(), name, String.valueOf(batch),
                            String.valueOf(steps), String.valueOf(warmup), String.valueOf(t), theirs.toString()), name);
                } finally {
                    Files.deleteIfExists(wrapper);
                }
                b = byName(OpProfile.read(theirs));
            }
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            java.util.Map<String, OpProfile.OpTime> fa = a, fb = b;
            java.util.stream.Stream.concat(a.values().stream(), b.values().stream())
                    .sorted(java.util.Comparator.comparingDouble(OpProfile.OpTime::selfMs).reversed())
                    .map(OpProfile.OpTime::name).forEach(names::add);
            record OpRow(String op, String ours, String theirs, String calls) {
            }
            List<OpRow> rows = new ArrayList<>();
            double sumA = a.values().stream().mapToDouble(OpProfile.OpTime::selfMs).sum() / steps;
            double sumB = b.values().stream().mapToDouble(OpProfile.OpTime::selfMs).sum() / steps;
            for (String op : names.stream().limit(16).toList()) {
                OpProfile.OpTime x = fa.get(op), y = fb.get(op);
                rows.add(new OpRow(op, x == null ? "-" : Output.fixed(x.selfMs() / steps, 2),
                        y == null ? "-" : Output.fixed(y.selfMs() / steps, 2),
                        (x == null ? "-" : String.valueOf(x.calls() / steps)) + " / " + (y == null ? "-" : String.valueOf(y.calls() / steps))));
            }
            rows.add(new OpRow("all ops", Output.fixed(sumA, 2), b.isEmpty() ? "-" : Output.fixed(sumB, 2), ""));
            if (output.json()) {
                return;   // the traces are written; the table would break the JSON document
            }
            out.printf("%s: self time per step (ms), profiled; traces in %s%n", name, profile);
            Output.writeTable(out, rows, Col.left("op", OpRow::op), Col.right("parsimony", OpRow::ours),
                    Col.right("pytorch", OpRow::theirs), Col.right("calls/step", OpRow::calls));
            out.flush();
        } catch (IOException e) {
            throw new io.parsimony.cli.output.UserException("cannot write or read the profile in " + profile + ": " + e.getMessage());
        }
    }

    private static java.util.Map<String, OpProfile.OpTime> byName(List<OpProfile.OpTime> ops) {
        java.util.Map<String, OpProfile.OpTime> m = new java.util.LinkedHashMap<>();
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
                        throw new io.parsimony.cli.output.UserException("cannot write the profile " + trace + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private JsonNode torch(Path script, String arch, int t) {
        String last = runReference(List.of(python, script.toString(), arch, "--batch", String.valueOf(batch),
                "--steps", String.valueOf(steps), "--warmup", String.valueOf(warmup), "--threads", String.valueOf(t)), arch);
        if (!last.startsWith("{")) {
            throw new io.parsimony.cli.output.UserException("the PyTorch reference printed no result for " + arch + ": " + last);
        }
        try {
            return io.parsimony.nn.train.TrainingJson.MAPPER.readTree(last);
        } catch (IOException e) {
            throw new io.parsimony.cli.output.UserException("the PyTorch reference printed an unreadable result for " + arch + ": " + last);
        }
    }

    /** Runs a reference-side Python command with this bench's allocator choice; returns its last output line. */
    private String runReference(List<String> command, String arch) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        if (!"same".equalsIgnoreCase(referenceAllocator)) {
            pb.environment().remove("LD_PRELOAD");   // stock PyTorch eager, as a user runs the script
            pb.environment().remove("MALLOC_CONF");
        }
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            String last = text.strip().lines().reduce((a, b) -> b).orElse("");
            if (code != 0) {
                throw new io.parsimony.cli.output.UserException("the PyTorch reference failed (" + python + " "
                        + Path.of(command.get(1)).getFileName() + " " + arch + ", exit " + code + "): " + last
                        + "; install it with 'apt-get install -y python3-torch' or pass --no-reference");
            }
            return last;
        } catch (IOException e) {
            throw new io.parsimony.cli.output.UserException("cannot run " + python + ": " + e.getMessage()
                    + "; install python3-torch (apt) or pass --no-reference");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.parsimony.InterruptedWorkException("bench train interrupted while the PyTorch reference ran");
        }
    }

    private Path findScript() {
        if (reference != null) {
            if (!Files.isRegularFile(reference)) {
                throw new io.parsimony.cli.output.UserException("no reference script at " + reference);
            }
            return reference;
        }
        Path script = io.parsimony.nn.data.Installation.shared().map(d -> d.resolve("bench/torch_reference.py")).orElse(null);
        if (script != null && Files.isRegularFile(script)) {
            return script;
        }
        throw new io.parsimony.cli.output.UserException("torch_reference.py not found" + (script == null
                ? " (no installation directory: run through bin/parsimony)" : " at " + script)
                + "; pass --reference PATH or --no-reference");
    }

    /** Images/s the loader alone delivers for CIFAR-shaped data with augmentation. */
    double loaderImagesPerSecond() {
        int n = 20_000;
        byte[] px = new byte[n * 3 * 32 * 32];
        new Random(1).nextBytes(px);
        ImageSet set = new ImageSet(px, new int[n], 3, 32, 32, List.of("x"), "synthetic");
        BatchLoader loader = new BatchLoader(set, Normalization.of(set), new Augmentation(4, true), batch);
        long t0 = 0;
        for (int e = 0; e < 3; e++) {
            if (e == 1) {
                t0 = System.nanoTime();
            }
            try (BatchLoader.Epoch ep = loader.epoch(0, e)) {
                while (ep.hasNext()) {
                    ep.next();
                }
            }
        }
        return 2.0 * n / ((System.nanoTime() - t0) / 1e9);
    }
}
