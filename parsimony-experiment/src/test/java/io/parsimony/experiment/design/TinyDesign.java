package io.parsimony.experiment.design;

import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * The smallest real design the tests run: 4 plain candidates of 200 units on 600 Fashion-MNIST
 * images, 10-step first rung, halving by 2, 2 seeds per final network (seconds on 2 cores).
 */
final class TinyDesign {

    private TinyDesign() {
    }

    static ImageSet train() {
        return DataSets.load("fashion-mnist", Split.TRAIN).slice(0, 600);
    }

    static Design.Settings settings() {
        TrainingRecipe base = TrainingRecipe.defaults(1).withLimits(600, 300);
        base = new TrainingRecipe(base.optimizer(), base.lr(), base.momentum(), base.weightDecay(), base.schedule(), 32, 1, 0,
                base.augmentation(), 0.1, 600, 300, "cpu", 0);
        DesignSpace space = new DesignSpace(200, 0, Order.STRICT, EnumSet.of(Family.PLAIN), 3, 2, 1, 10, 28);
        return new Design.Settings(space, "fashion-mnist", base, 60, 2, 2, 15, 10);
    }

    /**
     * Records what a design starts and whether its winner was fixed, and stops it (as a kill
     * would: the thread is interrupted) after the finished run {@code stop} accepts, given that
     * run and how many have finished in this invocation.
     */
    static final class Recorder implements Design.Listener {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean winnerFixed = new AtomicBoolean();
        private final AtomicInteger finished = new AtomicInteger();
        private final BiPredicate<PlannedRun, Integer> stop;

        Recorder(BiPredicate<PlannedRun, Integer> stop) {
            this.stop = stop;
        }

        @Override
        public void started(PlannedRun run, String worker) {
            started.add(run.roles() + " " + run.runKey());
        }

        @Override
        public void finished(PlannedRun run, RunRow row, boolean recorded, int finishedNow, int toRun, double eta) {
            if (stop.test(run, finished.incrementAndGet())) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void winner(Candidate c) {
            winnerFixed.set(true);
        }
    }
}
