package io.parsimony.nn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.parsimony.InputException;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.engine.Provenance;
import io.parsimony.nn.model.ModelSize;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.ModelSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains one network on one data set with one recipe in a run directory, and evaluates it on
 * the test set: the pieces put together — {@link ResumePoint} (where to start), {@link DataSplits},
 * {@link Networks}, {@link TrainingLoop} with the {@link RunDirectory}'s checkpoint and metrics
 * recorder as a listener, {@link Evaluator}. One run at a time per JVM, because PyTorch's engine
 * allows one active gradient collector.
 */
public final class TrainingRun {

    /** What a finished run produced (also written to {@code result.json}). */
    public record Result(String model, ModelSpec spec, TrainingRecipe recipe, String data, long parameters,
                         long convWeights, int epochs, long steps, double trainSeconds, Evaluation test,
                         List<EpochMetrics> history, boolean completed, Provenance provenance) {
    }

    private final ModelSpec spec;
    private final TrainingRecipe recipe;
    private final RunDirectory runDir;
    private TrainingListener listener = TrainingListener.SILENT;

    /**
     * A run of {@code spec} trained with {@code recipe}; {@code runDir} (created if absent) receives
     * {@code checkpoint.bin} each epoch, {@code metrics.jsonl} and {@code result.json}, which the
     * CLI's {@code evaluate}, {@code export} and {@code predict --run} read back. Nothing is trained
     * until {@link #run(ImageSet, ImageSet, boolean)}.
     */
    public TrainingRun(ModelSpec spec, TrainingRecipe recipe, Path runDir) {
        this.spec = spec;
        this.recipe = recipe;
        this.runDir = new RunDirectory(runDir);
    }

    /** Reports progress (each epoch's start, each step) to {@code l} besides the run directory; returns this run. */
    public TrainingRun listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Trains from scratch, or with {@code resume} from the run directory's checkpoint (whose
     * model, data and recipe win; the run may only be extended, see {@link ResumePoint}).
     */
    public Result run(ImageSet trainSet, ImageSet testSet, boolean resume) {
        return run(trainSet, () -> testSet, true, resume);
    }

    /**
     * Continues whatever this run directory holds of this run: a finished result is read back
     * (nothing is trained), a checkpoint is resumed, an empty directory starts fresh. A
     * checkpoint of another recipe is refused, so a comparison keeps one recipe throughout.
     *
     * @return the result, and whether it was read back rather than trained now
     */
    public Continued continueRun(ImageSet trainSet, ImageSet testSet) {
        var done = runDir.finished(spec, recipe);
        if (done.isPresent()) {
            return new Continued(done.get(), true);
        }
        boolean resume = java.nio.file.Files.isRegularFile(runDir.checkpoint());
        if (resume && !RunDirectory.sameRecipe(Checkpoint.readHeader(runDir.checkpoint()).recipe(), recipe)) {
            throw new InputException("the checkpoint in " + runDir.path() + " was trained with another recipe; continue with "
                    + "the flags it was started with or choose another --run directory");
        }
        return new Continued(run(trainSet, testSet, resume), false);
    }

    /** What {@link #continueRun} gives: the result and whether it was read back from the directory. */
    public record Continued(Result result, boolean readBack) {
    }

    /**
     * As {@link #run(ImageSet, ImageSet, boolean)}; with {@code evaluateTest} false the test set
     * is never asked for ({@code testSet} is not called) and the result's {@code test} is null:
     * how a model search trains candidates whose test figures must stay unseen until it has chosen.
     */
    public Result run(ImageSet trainSet, java.util.function.Supplier<ImageSet> testSet, boolean evaluateTest, boolean resume) {
        ResumePoint start = resume
                ? ResumePoint.of(Checkpoint.readHeader(runDir.checkpoint()), spec, trainSet, recipe, runDir.path())
                : ResumePoint.fresh(recipe);
        TrainingRecipe r = start.recipe();
        requireMatches(trainSet);
        ModelSize.of(spec, trainSet.height(), trainSet.width()).requireTrainable(r.batchSize());
        DataSplits data = DataSplits.of(trainSet, evaluateTest ? testSet.get() : null, r);
        Normalization norm = start.resumed() ? start.normalization() : Normalization.of(data.train());
        Device device = Devices.of(r.device());
        List<EpochMetrics> history = start.resumed() ? runDir.history() : new ArrayList<>();
        if (!resume) {
            runDir.prepareFresh();
        }
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Block block = Networks.build(spec, manager, trainSet.channels(), trainSet.height(), trainSet.width(), r.seed());
            TrainingStep stepper = new TrainingStep(block, manager, r.optimizer(), r.momentum(), r.weightDecay());
            ParameterUpdater updater = stepper.updater();
            if (start.resumed()) {
                List<NDArray> state = Checkpoint.load(runDir.checkpoint(), block, manager);
                updater.loadState(state, Checkpoint.readHeader(runDir.checkpoint()).stateScale());
                for (Parameter p : Networks.trainable(block)) {
                    p.getArray().setRequiresGradient(true);   // loaded tensors come without autograd
                }
            }
            Evaluator evaluator = new Evaluator(block, stepper.store(), manager, norm, trainSet.classes());
            Checkpoint.Header header = new Checkpoint.Header(spec, r, start.epoch(), start.step(), norm, trainSet.name(),
                    trainSet.channels(), trainSet.height(), trainSet.width(), trainSet.classNames());
            TrainingLoop loop = new TrainingLoop(stepper, new BatchLoader(data.train(), norm, r.augmentation(), r.batchSize()),
                    new Shape(trainSet.channels(), trainSet.height(), trainSet.width()), r, evaluator, data.validation(),
                    TrainingListener.all(runDir.recorder(header, block, updater), listener), runDir::lastGood);
            TrainingLoop.Outcome outcome = loop.run(start.epoch(), start.step(), history);
            Evaluation test = data.test() == null ? null : evaluator.evaluate(data.test());
            Result result = new Result(spec.describe(), spec, r, trainSet.name(), ModelSummary.of(block,
                    new Shape(1, trainSet.channels(), trainSet.height(), trainSet.width())).parameters(),
                    ModelSummary.convWeights(block), history.isEmpty() ? 0 : history.get(history.size() - 1).epoch(),
                    outcome.steps(), history.stream().mapToDouble(EpochMetrics::seconds).sum(), test, history,
                    outcome.completed(), Provenance.current(device));
            runDir.writeResult(result);
            return result;
        }
    }

    /**
     * Evaluates the network saved in {@code runDir}'s checkpoint on {@code test}, with the
     * normalisation of its training data (the optimizer state is not read).
     */
    public static Evaluation evaluateCheckpoint(Path runDir, ImageSet test) {
        Checkpoint.Header h = Checkpoint.readHeader(Checkpoint.path(runDir));
        if (h.channels() != test.channels() || h.height() != test.height() || h.width() != test.width()) {
            throw new InputException("the checkpoint was trained on " + h.channels() + "x" + h.height() + "x" + h.width()
                    + " images but " + test.name() + " has " + test.channels() + "x" + test.height() + "x" + test.width());
        }
        try (NDManager manager = NDManager.newBaseManager(Devices.of(h.recipe().device()))) {
            Block block = load(runDir, manager, test).block();
            return new Evaluator(block, new ParameterStore(manager, false), manager, h.normalization(), h.spec().classes())
                    .evaluate(test);
        }
    }

    /** A trained network restored from a run directory, with what its checkpoint says about it. */
    public record Trained(Block block, Checkpoint.Header header) {
    }

    /** Restores the network of {@code runDir}'s checkpoint into {@code manager} (for analysis of a trained model). */
    public static Trained load(Path runDir, NDManager manager, ImageSet like) {
        Path file = Checkpoint.path(runDir);
        Checkpoint.Header h = Checkpoint.readHeader(file);
        ModelSize.of(h.spec(), like.height(), like.width()).requireBuildable();
        Block block = Networks.build(h.spec(), manager, like.channels(), like.height(), like.width(), h.recipe().seed());
        Checkpoint.loadParameters(file, block, manager);
        return new Trained(block, h);
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
}
