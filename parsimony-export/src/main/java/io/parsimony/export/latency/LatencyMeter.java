package io.parsimony.export.latency;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.InputException;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.NetworkReader;
import io.parsimony.export.onnx.OnnxExport;
import io.parsimony.export.onnx.OnnxWriter;
import io.parsimony.files.AtomicFile;
import io.parsimony.files.UserCache;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.engine.Host;
import io.parsimony.nn.model.ModelSize;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.Checkpoint;
import io.parsimony.nn.train.Networks;
import io.parsimony.nn.train.TrainingJson;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measured batch-1 inference latency of a model spec with ONNX Runtime on this machine's CPU.
 * A device budget is a latency, not a parameter count: the same parameters cost very different
 * times depending on where they sit (feature-map size, depth, shared kernels). So the network is
 * built from its spec (seeded random weights), exported through the same ONNX writer as {@code
 * parsimony export}, and timed in an ONNX Runtime session: what is measured is what ships.
 * Results are cached per spec, input and host ({@code ~/.cache/parsimony/latency}); a cache only
 * saves time, so an unreadable entry is measured again.
 */
public final class LatencyMeter {

    static final long WARMUP_NANOS = 200_000_000L;
    static final int WARMUP_RUNS = 5;
    static final long TIMED_NANOS = 500_000_000L;
    static final int TIMED_RUNS = 20;
    /** The weights' seed: latency does not depend on their values, but the exported file then does not vary. */
    static final long SEED = 1;
    /** Part of the cache key: changed when what is measured changes, so older entries stop matching. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** One measurement at a time in this JVM: two sessions sharing the cores would time each other. */
    private static final Object MEASURING = new Object();
    private static volatile String host;

    /** What a cache file holds: the key's inputs (checked on reading) and the measurement. */
    record Entry(int version, String host, JsonNode spec, int channels, int height, int width, Latency latency) {
    }

    private final Path cacheDir;
    private final AtomicInteger measurements = new AtomicInteger();

    /** A meter caching in {@code cacheDir} (created when first written), or not at all if it is null. */
    public LatencyMeter(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** A meter caching in the user cache ({@link UserCache#directory()}{@code /latency}). */
    public static LatencyMeter cached() {
        return new LatencyMeter(UserCache.directory().resolve("latency"));
    }

    /** Where this meter caches (null: nowhere). */
    Path cacheDir() {
        return cacheDir;
    }

    /** How many latencies this meter measured (rather than read from its cache). */
    public int measurements() {
        return measurements.get();
    }

    /** {@link #measure}'s median, for callers that take a {@code (spec, c, h, w) -> double}. */
    public double medianMillis(ModelSpec spec, int channels, int height, int width) {
        return measure(spec, channels, height, width).medianMillis();
    }

    /**
     * The latency of one {@code channels}×{@code height}×{@code width} image through {@code spec}'s
     * network: from the cache if this host measured it before, else measured (about a second, more
     * for a network slower than 25 ms a run) and cached.
     */
    public Latency measure(ModelSpec spec, int channels, int height, int width) {
        if (channels != spec.inputChannels()) {
            throw new InputException(spec.describe() + " takes " + spec.inputChannels() + "-channel images, not " + channels);
        }
        ModelSize.of(spec, height, width).requireBuildable();
        String h = host();
        JsonNode specJson = JSON.valueToTree(canonical(spec));
        Entry wanted = new Entry(VERSION, h, specJson, channels, height, width, null);
        Path file = cacheDir == null ? null : cacheDir.resolve(key(wanted) + ".json");
        Optional<Latency> known = read(file, wanted);
        if (known.isPresent()) {
            return known.get();
        }
        Latency measured = time(OnnxExport.model(network(spec, channels, height, width), OnnxExport.Options.defaults())
                .toByteArray(), channels, height, width, h);
        measurements.incrementAndGet();
        write(file, new Entry(VERSION, h, specJson, channels, height, width, measured));
        return measured;
    }

    /** CPU model, cores and ONNX Runtime version: what a latency is valid for. Loads the engine once. */
    static String host() {
        String h = host;
        if (h == null) {
            host = h = Host.current().cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, ONNX Runtime "
                    + OrtEnvironment.getEnvironment().getVersion();
        }
        return h;
    }

    /** The spec as the checkpoints store it (a tree, so key and check do not depend on text layout). */
    private static JsonNode canonical(ModelSpec spec) {
        return TrainingJson.MAPPER.valueToTree(spec);
    }

    static String key(Entry e) {
        try {
            String all = String.join("\n", String.valueOf(e.version()), e.host(), JSON.writeValueAsString(e.spec()),
                    e.channels() + "x" + e.height() + "x" + e.width());
            byte[] d = MessageDigest.getInstance("SHA-256").digest(all.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The spec's network with seeded random weights, read as the exporters read a trained run. */
    static Network network(ModelSpec spec, int channels, int height, int width) {
        float[] mean = new float[channels], std = new float[channels];
        Arrays.fill(std, 1f);
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < spec.classes(); i++) {
            classes.add("class " + i);
        }
        var header = new Checkpoint.Header(spec, TrainingRecipe.defaults(1).withSeed(SEED), 0, 0,
                new Normalization(mean, std), "latency", channels, height, width, classes);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            var block = Networks.build(spec, manager, channels, height, width, SEED);
            return NetworkReader.read(new TrainingRun.Trained(block, header));   // copies the tensors out
        }
    }

    /** Times the ONNX model on one seeded random image: warm-up, then timed runs; median and p90. */
    static Latency time(byte[] onnx, int channels, int height, int width, String host) {
        float[] x = new float[channels * height * width];
        Random random = new Random(SEED);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        synchronized (MEASURING) {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                try (OrtSession session = env.createSession(onnx, options);
                     OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, channels, height, width})) {
                    Map<String, OnnxTensor> feed = Map.of(OnnxWriter.INPUT, input);
                    long start = System.nanoTime();
                    for (int n = 0; n < WARMUP_RUNS || System.nanoTime() - start < WARMUP_NANOS; n++) {
                        run(session, feed);
                    }
                    long[] took = new long[64];
                    int n = 0;
                    start = System.nanoTime();
                    while (n < TIMED_RUNS || System.nanoTime() - start < TIMED_NANOS) {
                        long t0 = System.nanoTime();
                        run(session, feed);
                        long t1 = System.nanoTime();
                        if (n == took.length) {
                            took = Arrays.copyOf(took, 2 * n);
                        }
                        took[n++] = t1 - t0;
                    }
                    return summary(Arrays.copyOf(took, n), host);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not run the exported network: " + e.getMessage(), e);
            }
        }
    }

    private static void run(OrtSession session, Map<String, OnnxTensor> feed) throws OrtException {
        try (OrtSession.Result ignored = session.run(feed)) {
            // the outputs are freed with the result
        }
    }

    /** Median (mean of the middle two for an even count) and nearest-rank 90th percentile. */
    static Latency summary(long[] nanos, String host) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        double p90 = s[(int) Math.ceil(0.9 * n) - 1];
        return new Latency(median / 1e6, p90 / 1e6, n, host);
    }

    /** The cached latency if {@code file} holds one for exactly {@code wanted}'s key; nothing if absent or unreadable. */
    private static Optional<Latency> read(Path file, Entry wanted) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Entry e = JSON.readValue(file.toFile(), Entry.class);
            Latency l = e.latency();
            boolean same = e.version() == wanted.version() && wanted.host().equals(e.host()) && wanted.spec().equals(e.spec())
                    && e.channels() == wanted.channels() && e.height() == wanted.height() && e.width() == wanted.width();
            boolean sane = l != null && l.medianMillis() > 0 && Double.isFinite(l.p90Millis())
                    && l.p90Millis() >= l.medianMillis() && l.runs() > 0 && wanted.host().equals(l.host());
            return same && sane ? Optional.of(l) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // corrupt or from another version: measured again and overwritten
        }
    }

    private static void write(Path file, Entry entry) {
        if (file == null) {
            return;
        }
        try {
            AtomicFile.writeCache(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a cache entry", e);   // a record of plain fields: never
        }
    }
}
