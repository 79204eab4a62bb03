package io.parsimony.nn.train;

import io.parsimony.nn.data.IdxReader;
import io.parsimony.nn.data.ImageSet;

import java.nio.file.Path;
import java.util.List;

/** Small real slices of Fashion-MNIST (Debian's dataset-fashion-mnist) for training tests. */
final class FashionSlice {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static ImageSet train, test;

    static synchronized ImageSet train() {
        if (train == null) {
            train = IdxReader.read(DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz"),
                    "fashion-mnist/train", CLASSES);
        }
        return train;
    }

    static synchronized ImageSet test() {
        if (test == null) {
            test = IdxReader.read(DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"),
                    "fashion-mnist/test", CLASSES);
        }
        return test;
    }
}
