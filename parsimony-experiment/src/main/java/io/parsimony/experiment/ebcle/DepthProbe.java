package io.parsimony.experiment.ebcle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The empirical check of the EBCLE bound: plain CNNs of increasing depth at a fixed width are
 * trained with one recipe; per depth it records test accuracy, training time and, for every
 * conv layer, the linear CKA between its output and the previous layer's (on held-out images):
 * a layer with CKA near 1 only re-codes what it was given.
 */
public final class DepthProbe {

    /** CKA at or above which a layer counts as near-identity. */
    public static final double NEAR_IDENTITY = 0.95;
    /** Accuracy within this of the best counts as on the plateau. */
    public static final double PLATEAU_TOLERANCE = 0.005;
    private static final int CKA_IMAGES = 256;

    public record Point(int depth, String model, double top1, double trainSeconds, double[] layerCka) {
        /** CKA of the last conv layer with the one before it (NaN for depth 1). */
        public double lastLayerCka() {
            return layerCka.length == 0 ? Double.NaN : layerCka[layerCka.length - 1];
        }
    }

    public record Report(DatasetEntropy entropy, DepthBound.Result bound, List<Point> points,
                         int accuracyPlateauDepth, int nearIdentityDepth) {
    }

    private DepthProbe() {
    }

    public static Report run(ImageSet train, ImageSet test, int[] depths, int width, TrainingRecipe recipe,
                             DepthBound constants, Path runDir, IntFunction<TrainingListener> listeners) {
        DatasetEntropy entropy = DatasetEntropy.of(train);
        DepthBound.Result bound = constants.apply(entropy.meanImageEntropy(), Math.min(train.height(), train.width()));
        int size = Math.min(train.height(), train.width());
        List<Point> points = new ArrayList<>();
        for (int d : Arrays.stream(depths).sorted().distinct().toArray()) {
            int[] widths = new int[d];
            Arrays.fill(widths, width);
            PlainCnnSpec spec = PlainCnnSpec.of(new Layout(widths), train.channels(), train.classes(), size);
            Path dir = runDir.resolve("depth-" + d);
            TrainingRun.Result r = new TrainingRun(spec, recipe, dir).listener(listeners.apply(d)).run(train, test, false);
            points.add(new Point(d, spec.describe(), r.test().top1(), r.trainSeconds(), layerCka(dir, train, test)));
        }
        double best = points.stream().mapToDouble(Point::top1).max().orElse(0);
        int plateau = points.stream().filter(p -> p.top1() >= best - PLATEAU_TOLERANCE).mapToInt(Point::depth).min().orElse(-1);
        int nearIdentity = points.stream().filter(p -> p.lastLayerCka() >= NEAR_IDENTITY).mapToInt(Point::depth).min().orElse(-1);
        return new Report(entropy, bound, points, plateau, nearIdentity);
    }

    /** CKA(layer l−1, layer l) for l = 2..L of the trained network in {@code runDir}, on test images. */
    static double[] layerCka(Path runDir, ImageSet train, ImageSet test) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingRun.Trained t = TrainingRun.load(runDir, manager, train);
            ImageSet probe = test.slice(0, Math.min(CKA_IMAGES, test.size()));
            List<NDArray> acts = new ArrayList<>();
            new BatchLoader(probe, t.header().normalization(), Augmentation.NONE, probe.size()).forEachInOrder(batch -> {
                NDArray x = manager.create(batch.images(), new Shape(batch.size(), probe.channels(), probe.height(), probe.width()));
                ParameterStore ps = new ParameterStore(manager, false);
                NDList cur = new NDList(x);
                for (Pair<String, Block> child : t.block().getChildren()) {
                    cur = child.getValue().forward(ps, cur, false);
                    if (child.getValue() instanceof LambdaBlock l && l.getName().toLowerCase().contains("relu")) {
                        acts.add(cur.singletonOrThrow());
                    }
                }
            });
            double[] cka = new double[Math.max(0, acts.size() - 1)];
            for (int l = 1; l < acts.size(); l++) {
                cka[l - 1] = LinearCka.of(acts.get(l - 1), acts.get(l));
            }
            return cka;
        }
    }
}
