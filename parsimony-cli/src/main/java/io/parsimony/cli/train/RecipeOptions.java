package io.parsimony.cli.train;

import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingRecipe;
import picocli.CommandLine.Option;

/** The training recipe as flags; defaults are {@link TrainingRecipe#defaults}. */
public final class RecipeOptions {

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--steps", defaultValue = "0", paramLabel = "N",
            description = "Stop after N optimizer steps in all (0 = train every epoch).")
    long steps;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adagrad", description = "Update rule (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.1", description = "Initial learning rate (default: ${DEFAULT-VALUE}, seed 001).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 decay of conv/linear weights (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "SPEC",
            description = "constant | step:EVERY:GAMMA | multistep:M1,M2:GAMMA (default: x0.1 halfway through).")
    String schedule;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for init, split, shuffling, augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--crop", defaultValue = "0", paramLabel = "PAD", description = "Random crop after padding by PAD pixels (default: off).")
    int crop;

    @Option(names = "--flip", description = "Random horizontal flips (off by default: wrong for digits).")
    boolean flip;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Seeded validation share of the training set (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = "Use the first N training images (0 = all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Evaluate on the first N test images (0 = all).")
    int limitTest;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu", description = "Device (default: ${DEFAULT-VALUE}).")
    String device;

    public TrainingRecipe recipe() {
        TrainingRecipe d = TrainingRecipe.defaults(Math.max(1, epochs));
        LrSchedule s = schedule == null ? d.schedule() : LrSchedule.parse(schedule);
        return new TrainingRecipe(OptimizerKind.parse(optimizer), lr, momentum, weightDecay, s, batch, epochs, seed,
                new Augmentation(crop, flip), valFraction, limitTrain, limitTest, device, steps);
    }
}
