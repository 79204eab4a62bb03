package io.parsimony.cli.bench;

import io.parsimony.cli.options.DataOptions;
import io.parsimony.nn.bench.LoaderBench;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** Images/s the batch loader delivers on its own ({@link LoaderBench}), to compare with a training step's. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Measure how many images/s the batch loader delivers alone (no training).")
public final class DataBenchCommand implements Runnable {

    @Mixin
    DataOptions data;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs to time after one warm-up epoch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        long t = System.nanoTime();
        ImageSet train = data.load(Split.TRAIN);
        out.printf("%s: %,d images %dx%dx%d loaded in %.2f s%n", train.name(), train.size(), train.channels(),
                train.height(), train.width(), (System.nanoTime() - t) / 1e9);
        Normalization norm = Normalization.of(train);
        for (Augmentation aug : new Augmentation[] {Augmentation.NONE, new Augmentation(2, true)}) {
            LoaderBench.Timing timing = LoaderBench.time(train, norm, aug, batch, epochs);
            out.printf("loader alone, %s: %,.0f images/s (batch %d, %d epochs in %.2f s)%n",
                    aug.enabled() ? "crop 2 + flip" : "no augmentation", timing.imagesPerSecond(), batch, epochs, timing.seconds());
        }
        out.flush();
    }
}
