package io.parsimony.nn.train;

import ai.djl.ndarray.types.Shape;
import io.parsimony.nn.data.Batch;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;

import java.util.List;
import java.util.function.Supplier;

/**
 * The epoch loop and nothing around it: batches from a loader through a {@link TrainingStep}
 * at the recipe's scheduled learning rate, validation after each epoch, listeners told of every
 * step and epoch. It knows no files: checkpoints and metrics lines are listeners
 * ({@link RunDirectory}), so a design search or a remote worker can run the same loop.
 */
public final class TrainingLoop {

    /** How the loop ended: optimizer steps made in all, and whether it ran to its end (false: a listener stopped it). */
    public record Outcome(long steps, boolean completed) {
    }

    private final TrainingStep stepper;
    private final BatchLoader loader;
    private final Shape imageShape;
    private final TrainingRecipe recipe;
    private final Evaluator evaluator;
    private final ImageSet validation;
    private final TrainingListener listener;
    private final Supplier<String> recovery;

    /**
     * @param validation images evaluated after each epoch with {@code evaluator}, or null for none
     * @param recovery   says where a diverged run can be taken up again, for its one-line message
     */
    public TrainingLoop(TrainingStep stepper, BatchLoader loader, Shape imageShape, TrainingRecipe recipe,
                        Evaluator evaluator, ImageSet validation, TrainingListener listener, Supplier<String> recovery) {
        this.stepper = stepper;
        this.loader = loader;
        this.imageShape = imageShape;
        this.recipe = recipe;
        this.evaluator = evaluator;
        this.validation = validation;
        this.listener = listener;
        this.recovery = recovery;
    }

    /**
     * Trains from 0-based {@code startEpoch} with {@code step} steps already made, appending each
     * epoch's figures to {@code history}. Stops at the recipe's epochs or step limit, or when a
     * listener asks; throws {@link TrainingDivergedException} on a NaN or infinite loss, and
     * {@link io.parsimony.InterruptedWorkException} when its thread is interrupted (checked every step, so an
     * embedding program or a time-boxed caller can stop it; the last checkpoint stays as it was).
     */
    public Outcome run(int startEpoch, long step, List<EpochMetrics> history) {
        TrainingRecipe r = recipe;
        boolean completed = true;
        for (int epoch = startEpoch; epoch < r.epochs() && !stepLimitReached(step); epoch++) {
            double lr = r.schedule().lr(r.lr(), epoch);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0, seen = 0;
            listener.onEpochStart(epoch, r.epochs(), loader.batchesPerEpoch());
            long waitNanos;
            stepper.takePhaseSeconds(); // a resumed or interrupted epoch starts from zero
            try (BatchLoader.Epoch batches = loader.epoch(r.seed(), epoch)) {
                int b = 0;
                while (batches.hasNext() && !stepLimitReached(step)) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new io.parsimony.InterruptedWorkException(String.format(
                                "training interrupted at epoch %d, batch %d; %s; resume with --resume", epoch + 1, b + 1,
                                recovery.get()));
                    }
                    Batch batch = batches.next();
                    float[] out = stepper.forwardBackward(batch.images(), batch.labels(),
                            new Shape(batch.size()).addAll(imageShape));
                    if (!Float.isFinite(out[0])) {
                        throw new TrainingDivergedException(String.format(
                                "loss became %s at epoch %d, batch %d (lr %.4g); %s; lower --lr and train again",
                                Float.isNaN(out[0]) ? "NaN" : "infinite", epoch + 1, b + 1, lr, recovery.get()));
                    }
                    stepper.update(lr);
                    step++;
                    lossSum += out[0] * batch.size();
                    correct += (long) out[1];
                    seen += batch.size();
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.onStep(++b, lossSum / seen, (double) correct / seen, seen / secs);
                }
                waitNanos = batches.waitNanos();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            TrainingStep.PhaseSeconds phases = stepper.takePhaseSeconds();
            long v0 = System.nanoTime();
            Evaluation val = validation == null ? null : evaluator.evaluate(validation);
            double validationSeconds = (System.nanoTime() - v0) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch + 1, r.epochs(), step, lr, lossSum / seen, (double) correct / seen,
                    val == null ? null : val.loss(), val == null ? null : val.top1(), seconds, seen / seconds,
                    waitNanos / 1e9, phases.forward(), phases.backward(), phases.update(), validationSeconds);
            history.add(m);
            boolean stepsDone = stepLimitReached(step);
            if ((!listener.onEpochEnd(m) || stepsDone) && epoch + 1 < r.epochs()) {
                completed = stepsDone;
                break;
            }
        }
        return new Outcome(step, completed);
    }

    private boolean stepLimitReached(long step) {
        return recipe.maxSteps() > 0 && step >= recipe.maxSteps();
    }
}
