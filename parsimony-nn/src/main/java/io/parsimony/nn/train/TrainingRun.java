package io.parsimony.nn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.parsimony.InputException;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.Batch;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.MemoryFormat;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.ModelSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains one network on one data set with one recipe, checkpointing every epoch into
 * {@code runDir}, and evaluates it on the test set. A plain loop over DJL's PyTorch engine
 * (forward under a gradient collector, backward, {@link ParameterUpdater}); one run at a time
 * per JVM, because PyTorch's engine allows one active gradient collector.
 */
public final class TrainingRun {

    /** What a finished run produced (also written to {@code result.json}). */
    public record Result(String model, ModelSpec spec, TrainingRecipe recipe, String data, long parameters,
                         long convWeights, int epochs, long steps, double trainSeconds, Evaluation test,
                         List<EpochMetrics> history, boolean completed) {
    }

    private final ModelSpec spec;
    private final TrainingRecipe recipe;
    private final Path runDir;
    private TrainingListener listener = TrainingListener.SILENT;

    public TrainingRun(ModelSpec spec, TrainingRecipe recipe, Path runDir) {
        this.spec = spec;
        this.recipe = recipe;
        this.runDir = runDir;
    }

    public TrainingRun listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Trains from scratch, or with {@code resume} from the run directory's checkpoint (whose
     * model and recipe win, except the epoch count, which may be raised to train longer).
     */
    public Result run(ImageSet trainSet, ImageSet testSet, boolean resume) {
        TrainingRecipe r = recipe;
        int startEpoch = 0;
        long step = 0;
        Checkpoint.Header resumed = null;
        if (resume) {
            resumed = Checkpoint.readHeader(Checkpoint.path(runDir));
            if (!resumed.spec().equals(spec)) {
                throw new InputException("checkpoint in " + runDir + " is for " + resumed.spec().describe() + ", not "
                        + spec.describe() + "; resume with the same model or use a new --run directory");
            }
            r = resumed.recipe().withEpochs(Math.max(recipe.epochs(), resumed.recipe().epochs()));
            startEpoch = resumed.epochsDone();
            step = resumed.step();
        }
        requireMatches(trainSet);
        Splits data = split(trainSet, testSet, r);
        Normalization norm = resumed != null ? resumed.normalization() : Normalization.of(data.train);
        Device device = device(r.device());
        List<EpochMetrics> history = resumed != null ? readHistory() : new ArrayList<>();
        if (!resume) {
            resetRunDir();
        }
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Block block = initialise(manager, trainSet, r.seed());
            List<Parameter> trainable = trainable(block);
            TrainingStep stepper = new TrainingStep(block, manager, r.optimizer(), r.momentum(), r.weightDecay());
            ParameterUpdater updater = stepper.updater();
            if (resumed != null) {
                List<NDArray> state = Checkpoint.load(Checkpoint.path(runDir), block, manager);
                updater.loadState(state);
                for (Parameter p : trainable) {
                    p.getArray().setRequiresGradient(true);   // loaded tensors come without autograd
                }
            }
            ParameterStore ps = stepper.store();
            BatchLoader loader = new BatchLoader(data.train, norm, r.augmentation(), r.batchSize());
            Shape imageShape = new Shape(trainSet.channels(), trainSet.height(), trainSet.width());
            boolean completed = true;
            for (int epoch = startEpoch; epoch < r.epochs(); epoch++) {
                double lr = r.schedule().lr(r.lr(), epoch);
                long t0 = System.nanoTime();
                double lossSum = 0;
                long correct = 0, seen = 0;
                listener.onEpochStart(epoch, r.epochs(), loader.batchesPerEpoch());
                long waitNanos;
                try (BatchLoader.Epoch batches = loader.epoch(r.seed(), epoch)) {
                    int b = 0;
                    while (batches.hasNext() && (r.maxSteps() == 0 || step < r.maxSteps())) {
                        Batch batch = batches.next();
                        float[] stepOut = stepper.forwardBackward(batch.images(), batch.labels(),
                                new Shape(batch.size()).addAll(imageShape));
                        if (!Float.isFinite(stepOut[0])) {
                            throw diverged(epoch, b, lr, stepOut[0]);
                        }
                        updater.step(lr);
                        step++;
                        lossSum += stepOut[0] * batch.size();
                        correct += (long) stepOut[1];
                        seen += batch.size();
                        double secs = (System.nanoTime() - t0) / 1e9;
                        listener.onStep(++b, lossSum / seen, (double) correct / seen, seen / secs);
                    }
                    waitNanos = batches.waitNanos();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Evaluation val = data.validation == null ? null
                        : evaluate(block, ps, manager, data.validation, norm, trainSet.classes());
                EpochMetrics m = new EpochMetrics(epoch + 1, r.epochs(), step, lr, lossSum / seen, (double) correct / seen,
                        val == null ? null : val.loss(), val == null ? null : val.top1(), seconds, seen / seconds,
                        waitNanos / 1e9);
                history.add(m);
                Checkpoint.write(runDir, new Checkpoint.Header(spec, r, epoch + 1, step, norm, trainSet.name(),
                        trainSet.channels(), trainSet.height(), trainSet.width(), trainSet.classNames()), block, updater.state());
                updater.releaseStateCopies();
                appendMetrics(m);
                boolean stepsDone = r.maxSteps() > 0 && step >= r.maxSteps();
                if ((!listener.onEpochEnd(m) || stepsDone) && epoch + 1 < r.epochs()) {
                    completed = stepsDone;
                    break;
                }
            }
            Evaluation test = evaluate(block, ps, manager, data.test, norm, trainSet.classes());
            Result result = new Result(spec.describe(), spec, r, trainSet.name(), ModelSummary.of(block,
                    new Shape(1, trainSet.channels(), trainSet.height(), trainSet.width())).parameters(),
                    ModelSummary.convWeights(block), history.isEmpty() ? 0 : history.get(history.size() - 1).epoch(),
                    step, history.stream().mapToDouble(EpochMetrics::seconds).sum(), test, history, completed);
            writeAtomically(runDir.resolve("result.json"), Checkpoint.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        return logp.gather(labels.reshape(-1, 1), 1).neg().mean();
    }

    static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    /** Evaluates with BatchNorm's running statistics (training = false), no gradients. */
    static Evaluation evaluate(Block block, ParameterStore ps, NDManager manager, ImageSet set, Normalization norm, int classes) {
        long[][] confusion = new long[classes][classes];
        long[] top5 = {0};
        double[] lossSum = {0};
        Shape imageShape = new Shape(set.channels(), set.height(), set.width());
        MemoryFormat format = MemoryFormat.forDevice(manager.getDevice());
        new BatchLoader(set, norm, Augmentation.NONE, 500).forEachInOrder(batch -> {
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = format.apply(sm.create(batch.images(), new Shape(batch.size()).addAll(imageShape)));
                NDArray logits = block.forward(ps, new NDList(x), false).singletonOrThrow();
                NDArray y = sm.create(toLong(batch.labels()));
                lossSum[0] += crossEntropy(logits, y).getFloat() * batch.size();
                float[] z = logits.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    int truth = batch.labels()[i];
                    int best = 0, rank = 0;
                    float t = z[i * classes + truth];
                    for (int c = 0; c < classes; c++) {
                        float v = z[i * classes + c];
                        if (v > z[i * classes + best]) {
                            best = c;
                        }
                        if (v > t || (v == t && c < truth)) {
                            rank++;
                        }
                    }
                    confusion[truth][best]++;
                    if (rank < 5) {
                        top5[0]++;
                    }
                }
            }
        });
        return Evaluation.of(confusion, top5[0], lossSum[0]);
    }

    /**
     * Evaluates the network saved in {@code runDir}'s checkpoint on {@code test}, with the
     * normalisation of its training data.
     */
    public static Evaluation evaluateCheckpoint(Path runDir, ImageSet test) {
        Checkpoint.Header h = Checkpoint.readHeader(Checkpoint.path(runDir));
        if (h.channels() != test.channels() || h.height() != test.height() || h.width() != test.width()) {
            throw new InputException("the checkpoint was trained on " + h.channels() + "x" + h.height() + "x" + h.width()
                    + " images but " + test.name() + " has " + test.channels() + "x" + test.height() + "x" + test.width());
        }
        try (NDManager manager = NDManager.newBaseManager(device(h.recipe().device()))) {
            Block block = load(runDir, manager, test).block();
            return evaluate(block, new ParameterStore(manager, false), manager, test, h.normalization(), h.spec().classes());
        }
    }

    /** A trained network restored from a run directory, with what its checkpoint says about it. */
    public record Trained(Block block, Checkpoint.Header header) {
    }

    /** Restores the network of {@code runDir}'s checkpoint into {@code manager} (for analysis of a trained model). */
    public static Trained load(Path runDir, NDManager manager, ImageSet like) {
        Checkpoint.Header h = Checkpoint.readHeader(Checkpoint.path(runDir));
        Block block = new TrainingRun(h.spec(), h.recipe(), runDir).initialise(manager, like, h.recipe().seed());
        Checkpoint.load(Checkpoint.path(runDir), block, manager);
        return new Trained(block, h);
    }

    /** Builds and initialises the block: He-normal conv/linear weights, seeded through the engine. */
    Block initialise(NDManager manager, ImageSet set, long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Block block = spec.build();
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, set.channels(), set.height(), set.width()));
        return block;
    }

    /** Distinct trainable tensors in block order (a shared block's tensor once). */
    static List<Parameter> trainable(Block block) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && seen.add(p.getValue())) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    private void requireMatches(ImageSet trainSet) {
        if (spec.inputChannels() != trainSet.channels()) {
            throw new InputException(spec.describe() + " expects " + spec.inputChannels() + "-channel images but "
                    + trainSet.name() + " has " + trainSet.channels() + "; build the model for this data set");
        }
        if (spec.classes() != trainSet.classes()) {
            throw new InputException(spec.describe() + " has " + spec.classes() + " outputs but " + trainSet.name()
                    + " has " + trainSet.classes() + " classes");
        }
    }

    private record Splits(ImageSet train, ImageSet validation, ImageSet test) {
    }

    /** Applies the recipe's limits, then holds out a seeded validation share of the training images. */
    static Splits split(ImageSet train, ImageSet test, TrainingRecipe r) {
        ImageSet t = r.trainLimit() > 0 && r.trainLimit() < train.size() ? train.slice(0, r.trainLimit()) : train;
        ImageSet te = r.testLimit() > 0 && r.testLimit() < test.size() ? test.slice(0, r.testLimit()) : test;
        int nVal = (int) Math.round(t.size() * r.validationFraction());
        if (nVal == 0) {
            return new Splits(t, null, te);
        }
        int[] order = new int[t.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(r.seed() ^ 0x5DEECE66DL);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return new Splits(t.subset(java.util.Arrays.copyOfRange(order, nVal, order.length)),
                t.subset(java.util.Arrays.copyOfRange(order, 0, nVal)), te);
    }

    static Device device(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new InputException("--device gpu: PyTorch sees no GPU with the loaded natives; install CUDA natives "
                            + "(README, 'Running on a GPU') or use --device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new InputException("unknown device '" + name + "': use cpu or gpu");
        };
    }

    private InputException diverged(int epoch, int batch, double lr, float loss) {
        Path ckpt = Checkpoint.path(runDir);
        String last = Files.isRegularFile(ckpt)
                ? "last good checkpoint: " + ckpt + " (epoch " + Checkpoint.readHeader(ckpt).epochsDone() + ")"
                : "no checkpoint was written yet";
        return new TrainingDivergedException(String.format(
                "loss became %s at epoch %d, batch %d (lr %.4g); %s; lower --lr and train again",
                Float.isNaN(loss) ? "NaN" : "infinite", epoch + 1, batch + 1, lr, last));
    }

    private void resetRunDir() {
        if (Files.isRegularFile(Checkpoint.path(runDir))) {
            throw new InputException("run directory " + runDir + " already holds a checkpoint; add --resume to continue it, "
                    + "or choose another --run directory");
        }
        try {
            Files.createDirectories(runDir);
            Files.deleteIfExists(runDir.resolve("metrics.jsonl"));
            Files.deleteIfExists(runDir.resolve("result.json"));
        } catch (IOException e) {
            throw new InputException("cannot use run directory " + runDir + ": " + e.getMessage());
        }
    }

    private void appendMetrics(EpochMetrics m) throws IOException {
        String line = Checkpoint.JSON.writeValueAsString(m) + "\n";
        Files.writeString(runDir.resolve("metrics.jsonl"), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<EpochMetrics> readHistory() {
        Path f = runDir.resolve("metrics.jsonl");
        List<EpochMetrics> h = new ArrayList<>();
        try {
            if (Files.isRegularFile(f)) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        h.add(Checkpoint.JSON.readValue(line, EpochMetrics.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new InputException(f + " is unreadable (" + e.getMessage() + "); remove it to resume without history");
        }
        return h;
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
