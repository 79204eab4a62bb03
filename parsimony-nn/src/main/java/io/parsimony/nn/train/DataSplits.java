package io.parsimony.nn.train;

import io.parsimony.InputException;
import io.parsimony.nn.data.ImageSet;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The images a run trains, validates and tests on: the recipe's limits applied, then a seeded
 * validation share held out of the training images (the same share on every resume). A split
 * that would leave nothing to train or validate on is refused, naming the sizes and the flag.
 * A data set with a validation split of its own ({@link ImageSet#ownValidation()}, rotated MNIST's
 * 2,000 digits) keeps it: any {@code --val-fraction} above 0 validates on exactly those images and
 * {@code --limit-train} limits only the images before them; {@code --val-fraction 0} trains on
 * both parts, as the benchmark's final models are trained.
 *
 * @param validation null when the recipe holds out nothing ({@code --val-fraction 0})
 * @param test       null when the caller has none yet (a design's rungs must not read the test split)
 */
public record DataSplits(ImageSet train, ImageSet validation, ImageSet test) {

    public static DataSplits of(ImageSet train, ImageSet test, TrainingRecipe r) {
        if (train.ownValidation() > 0 && r.validationFraction() > 0) {
            int fit = train.size() - train.ownValidation();
            if (fit == 0) {
                throw new InputException(train.name() + " holds only validation images; use its training split");
            }
            int n = r.trainLimit() > 0 && r.trainLimit() < fit ? r.trainLimit() : fit;
            ImageSet te = test == null ? null : r.testLimit() > 0 && r.testLimit() < test.size() ? test.slice(0, r.testLimit()) : test;
            if (te != null && te.size() == 0) {
                throw new InputException(test.name() + " has no images to test on; use a data set with a test split");
            }
            return new DataSplits(train.slice(0, n), train.slice(fit, train.size()), te);
        }
        ImageSet t = r.trainLimit() > 0 && r.trainLimit() < train.size() ? train.slice(0, r.trainLimit()) : train;
        ImageSet te = test == null ? null : r.testLimit() > 0 && r.testLimit() < test.size() ? test.slice(0, r.testLimit()) : test;
        if (te != null && te.size() == 0) {
            throw new InputException(test.name() + " has no images to test on; use a data set with a test split");
        }
        int nVal = (int) Math.round(t.size() * r.validationFraction());
        if (nVal >= t.size()) {
            throw new InputException("no training images left: --val-fraction " + r.validationFraction() + " of " + t.size()
                    + " training images holds out " + nVal + " for validation; lower --val-fraction or use more images"
                    + " (--limit-train)");
        }
        if (nVal == 0) {
            if (r.validationFraction() > 0) {
                throw new InputException("the validation split is empty: --val-fraction " + r.validationFraction() + " of "
                        + t.size() + " training images holds out none; raise --val-fraction, use more images "
                        + "(--limit-train), or set --val-fraction 0 to train without validation");
            }
            return new DataSplits(t, null, te);
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
        return new DataSplits(t.subset(Arrays.copyOfRange(order, nVal, order.length)),
                t.subset(Arrays.copyOfRange(order, 0, nVal)), te);
    }
}
