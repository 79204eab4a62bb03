package io.parsimony.export;

import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.IdxReader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.model.Regulators;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small networks of every family trained briefly on real Fashion-MNIST (Debian's
 * dataset-fashion-mnist), once per test JVM: enough steps that BatchNorm's running statistics
 * and the weights are far from their initial values, so a wrong export shows in the logits.
 */
public final class TrainedRuns {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final ModelSpec PLAIN = PlainCnnSpec.of(Layout.of(8, 12, 16, 20), 1, 10, 28);
    public static final ModelSpec RESNET = new BlockResNetSpec(1, 10, new int[] {8, 8, 12, 16}, new int[] {1, 2, 2, 2});
    /** dacnn-18-mix-reg's structure at reduced widths: one shared kernel per section, a regulator per block. */
    public static final ModelSpec DACNN_MIX_REG = DacnnSpec.mixed(1, 10, new int[] {8, 12, 16, 16}, new int[] {2, 2, 2, 2},
            true, Regulators.perBlock(Regulators.all(4)));
    /** A global (plain) DACNN with a regulator per conv: one kernel for every conv after the stem. */
    public static final ModelSpec DACNN_GLOBAL = DacnnSpec.plain(1, 10, 8, 16, false, new int[] {2, 4, 6},
            Regulators.perConv(2, 3));
    public static final ModelSpec RESCALED = new RescaledSpec(PlainCnnSpec.of(Layout.of(6, 8, 10, 12), 1, 10, 28), 2, 2);
    public static final ModelSpec RESCALED_RESNET = new RescaledSpec(
            new BlockResNetSpec(1, 10, new int[] {6, 6, 8}, new int[] {1, 2, 2}), 2, 2);

    private static final Map<ModelSpec, Path> RUNS = new HashMap<>();
    private static ImageSet train, test;

    private TrainedRuns() {
    }

    /** The run directory of {@code spec}, trained for 15 steps of 64 images. */
    public static synchronized Path of(ModelSpec spec) {
        return RUNS.computeIfAbsent(spec, s -> {
            try {
                Path dir = Files.createTempDirectory("parsimony-export-run");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                var recipe = new TrainingRecipe(OptimizerKind.SGD, 0.05, 0.9, 5e-4, LrSchedule.CONSTANT, 64, 1, 0,
                        Augmentation.NONE, 0, 2000, 100, "cpu", 15);
                new TrainingRun(s, recipe, dir).run(train(), test(), false);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    public static synchronized ImageSet train() {
        if (train == null) {
            train = IdxReader.read(DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz"),
                    "fashion-mnist/train", CLASSES);
        }
        return train;
    }

    public static synchronized ImageSet test() {
        if (test == null) {
            test = IdxReader.read(DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"),
                    "fashion-mnist/test", CLASSES);
        }
        return test;
    }

    /** The first {@code n} test images as pixels / 255, NCHW. */
    public static float[] testPixels(int n) {
        ImageSet t = test();
        float[] x = new float[n * t.imageBytes()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (t.pixels()[i] & 0xFF) / 255f;
        }
        return x;
    }
}
