package io.parsimony.examples;

// tag::example[]
import io.parsimony.experiment.design.Design;
import io.parsimony.experiment.design.DesignSpace;
import io.parsimony.experiment.design.Family;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/** A tiny design, from a budget to the best trained network: what `parsimony design` runs, at toy scale. */
public final class DesignExample {

    public static Design.Outcome design(Path dir) {
        ImageSet train = DataSets.load("fashion-mnist", Split.TRAIN).slice(0, 600);
        // the base recipe; the design sets each rung's epochs and steps
        TrainingRecipe recipe = TrainingRecipe.defaults(1).withLimits(600, 300);
        // plain CNNs that spend 200 units (1,800 weights) exactly, up to 3 conv layers,
        // the 2 best layouts per depth, for 1-channel 28x28 images of 10 classes
        DesignSpace space = new DesignSpace(200, 0, Order.STRICT, EnumSet.of(Family.PLAIN), 3, 2, 1, 10, 28);
        // 60 s in all, keep the best 1/2 of each rung, 2 seeds per final network, the random
        // baseline from 15 draws, the first rung fixed at 10 steps (no timing probe)
        Design.Settings settings = new Design.Settings(space, "fashion-mnist", recipe, 60, 2, 2, 15, 10);
        Design.Plan plan = Design.plan(settings);   // the candidates and baselines, nothing trained yet
        SweepRunner.Options inThisProcess = new SweepRunner.Options(1, null, List.of(), false, null);
        // every training is recorded in the store: run it again and it resumes where it stopped;
        // the test split is loaded only once the winner is fixed
        Design.Outcome outcome = Design.run(settings, plan, dir.resolve("design.sqlite"), dir.resolve("runs"),
                "java DesignExample", inThisProcess, train, () -> DataSets.load("fashion-mnist", Split.TEST),
                new Design.Listener() { });
        Design.write(dir, settings, outcome);   // design.json and design.html
        return outcome;
    }

    public static void main(String[] args) {
        Design.Outcome o = design(Path.of(args.length > 0 ? args[0] : "runs/java-design"));
        System.out.println("winner: " + o.winner().model());
        o.groups().forEach(g -> System.out.printf("%-8s %-28s test top-1 %.1f%%%n", g.role(), g.model(), 100 * g.mean()));
    }
}
// end::example[]
