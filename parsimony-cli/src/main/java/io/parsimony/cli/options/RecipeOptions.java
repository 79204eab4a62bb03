package io.parsimony.cli.options;

import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingRecipe;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

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
            description = "constant | step:EVERY:GAMMA | multistep:M1,M2:GAMMA | cosine[:EPOCHS] (cosine alone: over --epochs; "
                    + "default: x0.1 halfway through).")
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
        LrSchedule s = schedule == null ? d.schedule()
                : schedule.strip().equalsIgnoreCase("cosine") ? LrSchedule.cosine(Math.max(1, epochs)) : LrSchedule.parse(schedule);
        return new TrainingRecipe(OptimizerKind.parse(optimizer), lr, momentum, weightDecay, s, batch, epochs, seed,
                new Augmentation(crop, flip), valFraction, limitTrain, limitTest, device, steps);
    }

    /**
     * The recipe a {@code --resume} continues: the flags the user gave must agree with the
     * checkpoint's recipe ({@code saved}), because a resumed run keeps its recipe to end like an
     * uninterrupted one; only {@code --epochs} and {@code --steps} may extend it. Flags not given
     * take the checkpoint's values, so a plain {@code --resume} neither lengthens nor shortens the run.
     */
    public TrainingRecipe resumeRecipe(TrainingRecipe saved, ParseResult given) {
        TrainingRecipe asked = recipe();
        List<String> differ = new ArrayList<>();
        check(differ, given, "--optimizer", asked, saved, r -> r.optimizer().name().toLowerCase(java.util.Locale.ROOT));
        check(differ, given, "--lr", asked, saved, TrainingRecipe::lr);
        check(differ, given, "--momentum", asked, saved, TrainingRecipe::momentum);
        check(differ, given, "--weight-decay", asked, saved, TrainingRecipe::weightDecay);
        check(differ, given, "--schedule", asked, saved, TrainingRecipe::schedule);
        check(differ, given, "--batch", asked, saved, TrainingRecipe::batchSize);
        check(differ, given, "--seed", asked, saved, TrainingRecipe::seed);
        check(differ, given, "--crop", asked, saved, r -> r.augmentation().cropPadding());
        check(differ, given, "--flip", asked, saved, r -> r.augmentation().horizontalFlip());
        check(differ, given, "--val-fraction", asked, saved, TrainingRecipe::validationFraction);
        check(differ, given, "--limit-train", asked, saved, TrainingRecipe::trainLimit);
        check(differ, given, "--limit-test", asked, saved, TrainingRecipe::testLimit);
        check(differ, given, "--device", asked, saved, r -> r.device().toLowerCase(java.util.Locale.ROOT));
        if (given.hasMatchedOption("--epochs") && asked.epochs() < saved.epochs()) {
            differ.add("--epochs " + asked.epochs() + " (checkpoint: " + saved.epochs() + "; epochs can only be raised)");
        }
        if (given.hasMatchedOption("--steps") && asked.maxSteps() != 0
                && (saved.maxSteps() == 0 || asked.maxSteps() < saved.maxSteps())) {
            differ.add("--steps " + asked.maxSteps() + " (checkpoint: " + (saved.maxSteps() == 0 ? "no limit" : saved.maxSteps())
                    + "; the step limit can only be raised)");
        }
        if (!differ.isEmpty()) {
            throw new io.parsimony.cli.output.UserException("--resume continues the checkpoint's recipe, but " + String.join(", ", differ)
                    + "; drop these flags or start a new --run");
        }
        return saved.withEpochs(given.hasMatchedOption("--epochs") ? asked.epochs() : saved.epochs())
                .withMaxSteps(given.hasMatchedOption("--steps") ? asked.maxSteps() : saved.maxSteps());
    }

    private static void check(List<String> differ, ParseResult given, String flag, TrainingRecipe asked, TrainingRecipe saved,
                              Function<TrainingRecipe, Object> value) {
        Object a = value.apply(asked), s = value.apply(saved);
        if (given.hasMatchedOption(flag) && !Objects.equals(a, s)) {
            differ.add(flag + " " + a + " (checkpoint: " + s + ")");
        }
    }
}
