package io.parsimony.experiment.design;

import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;

import java.util.EnumSet;

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
}
