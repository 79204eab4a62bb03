package io.parsimony.examples;

// tag::example[]
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;

import java.nio.file.Path;

/** A plain CNN built from its spec and trained briefly on Fashion-MNIST, as `parsimony train` does. */
public final class TrainExample {

    public static TrainingRun.Result train(Path runDir) {
        // Debian's dataset-fashion-mnist, found on DataSets.searchPath(); nothing is ever downloaded
        ImageSet train = DataSets.load("fashion-mnist", Split.TRAIN);
        ImageSet test = DataSets.load("fashion-mnist", Split.TEST);
        // the best layout of the search example as a plain CNN for 1x28x28 images and 10 classes;
        // ModelCatalog.parse("plain:35,36,37,43", 1, 10, 28) gives the same spec from the CLI's syntax
        ModelSpec spec = PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28);
        // seed 001's recipe (SGD, lr 0.1, momentum 0.9, batch 128) for 2 epochs,
        // on the first 3,000 training images (10% held out for validation) and 1,000 test images
        TrainingRecipe recipe = TrainingRecipe.defaults(2).withLimits(3000, 1000);
        // runDir gets checkpoint.bin, metrics.jsonl and result.json: `parsimony evaluate --run` reads it
        return new TrainingRun(spec, recipe, runDir).run(train, test, false);
    }

    public static void main(String[] args) {
        TrainingRun.Result r = train(Path.of(args.length > 0 ? args[0] : "runs/java-example"));
        System.out.printf("%s: %,d parameters, test top-1 %.1f%%%n", r.model(), r.parameters(), 100 * r.test().top1());
    }
}
// end::example[]
