package io.parsimony.nn.train;

import io.parsimony.InputException;
import io.parsimony.nn.data.Augmentation;

/**
 * Everything that decides how a network is trained, so that a run can be repeated or resumed
 * from its checkpoint alone. Weight decay applies to conv and linear weights, not to BatchNorm
 * or biases (the usual PyTorch recipe; DJL's own SGD would decay everything). A recipe that
 * cannot train (NaN rate, empty batch, momentum ≥ 1, ...) is refused here, naming the CLI flag.
 *
 * @param validationFraction share of the training set held out (seeded) for per-epoch validation
 * @param trainLimit         use only the first N training images (0 = all); for quick runs and tests
 * @param testLimit          evaluate on the first N test images (0 = all)
 * @param maxSteps           stop after this many optimizer steps in all (0 = run every epoch); the
 *                           epoch in which it stops counts as done, so a step-limited run is not resumed
 */
public record TrainingRecipe(OptimizerKind optimizer, double lr, double momentum, double weightDecay,
                             LrSchedule schedule, int batchSize, int epochs, long seed,
                             Augmentation augmentation, double validationFraction, int trainLimit, int testLimit,
                             String device, long maxSteps) {

    public TrainingRecipe {
        if (optimizer == null || schedule == null || augmentation == null || device == null) {
            throw new InputException("a training recipe needs an optimizer, a schedule, an augmentation and a device");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputException("--lr must be a positive finite number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InputException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new InputException("--weight-decay must be a finite number ≥ 0, got " + weightDecay);
        }
        if (batchSize < 1) {
            throw new InputException("--batch must be at least 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new InputException("--epochs must be at least 1, got " + epochs);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new InputException("--val-fraction must be in [0, 1), got " + validationFraction);
        }
        if (maxSteps < 0) {
            throw new InputException("--steps must be ≥ 0 (0 = train all epochs), got " + maxSteps);
        }
        if (trainLimit < 0) {
            throw new InputException("--limit-train must be ≥ 0 (0 = all images), got " + trainLimit);
        }
        if (testLimit < 0) {
            throw new InputException("--limit-test must be ≥ 0 (0 = all images), got " + testLimit);
        }
    }

    /** Seed 001's recipe scaled to a CPU: SGD 0.1, momentum 0.9, decay 5e-4, ×0.1 halfway, batch 128. */
    public static TrainingRecipe defaults(int epochs) {
        LrSchedule schedule = epochs >= 2 ? new LrSchedule(LrSchedule.Kind.STEP, Math.max(1, (epochs + 1) / 2), new int[0], 0.1)
                : LrSchedule.CONSTANT;
        return new TrainingRecipe(OptimizerKind.SGD, 0.1, 0.9, 5e-4, schedule, 128, epochs, 0,
                Augmentation.NONE, 0.1, 0, 0, "cpu", 0);
    }

    /** This recipe for {@code e} epochs (the schedule is kept as it is). */
    public TrainingRecipe withEpochs(int e) {
        return new TrainingRecipe(optimizer, lr, momentum, weightDecay, schedule, batchSize, e, seed, augmentation,
                validationFraction, trainLimit, testLimit, device, maxSteps);
    }

    /** This recipe with another learning-rate schedule. */
    public TrainingRecipe withSchedule(LrSchedule s) {
        return new TrainingRecipe(optimizer, lr, momentum, weightDecay, s, batchSize, epochs, seed, augmentation,
                validationFraction, trainLimit, testLimit, device, maxSteps);
    }

    /** This recipe stopped after {@code steps} optimizer steps in all (0 = every epoch). */
    public TrainingRecipe withMaxSteps(long steps) {
        return new TrainingRecipe(optimizer, lr, momentum, weightDecay, schedule, batchSize, epochs, seed, augmentation,
                validationFraction, trainLimit, testLimit, device, steps);
    }

    /** This recipe on the first {@code train} training and {@code test} test images (0 = all): quick runs and tests. */
    public TrainingRecipe withLimits(int train, int test) {
        return new TrainingRecipe(optimizer, lr, momentum, weightDecay, schedule, batchSize, epochs, seed, augmentation,
                validationFraction, train, test, device, maxSteps);
    }

    /** This recipe with seed {@code s} for initialisation, validation split, shuffling and augmentation. */
    public TrainingRecipe withSeed(long s) {
        return new TrainingRecipe(optimizer, lr, momentum, weightDecay, schedule, batchSize, epochs, s, augmentation,
                validationFraction, trainLimit, testLimit, device, maxSteps);
    }
}
