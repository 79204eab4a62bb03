package io.parsimony.cli.options;

import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import picocli.CommandLine.Option;

/** {@code --data NAME|PATH}: which real data set to read (Fashion-MNIST by default). */
public final class DataOptions {

    @Option(names = "--data", defaultValue = DataSets.DEFAULT, paramLabel = "NAME|PATH",
            description = "fashion-mnist (default), mnist, mnist-rot (rotated MNIST, built from mnist), cifar10, cifar100, svhn, or a directory.")
    String data;

    public ImageSet load(Split split) {
        return DataSets.load(data, split);
    }

    public String name() {
        return data;
    }
}
