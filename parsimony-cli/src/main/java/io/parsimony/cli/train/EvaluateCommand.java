package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.Evaluation;
import io.parsimony.nn.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parsimony.cli.options.DataOptions;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Evaluates a run's checkpoint: top-1/top-5, per-class accuracy, confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a trained run on a test set.")
public final class EvaluateCommand implements Runnable {

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory holding checkpoint.bin.")
    Path run;

    @Mixin
    DataOptions data;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ImageSet test = data.load(Split.TEST);
        Evaluation e = TrainingRun.evaluateCheckpoint(run, test);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, e);
            return;
        }
        out.printf("%s: %,d images, top-1 %.2f%%, top-5 %.2f%%, loss %.4f%n", test.name(), e.images(), 100 * e.top1(),
                100 * e.top5(), e.loss());
        List<Integer> classes = IntStream.range(0, test.classes()).boxed().toList();
        Output.writeTable(out, classes,
                Col.left("class", c -> test.classNames().get(c)),
                Col.right("accuracy", c -> String.format("%.1f%%", 100 * e.perClassAccuracy()[c])),
                Col.left("confusion (predicted 0..k-1)", c -> java.util.Arrays.toString(e.confusion()[c])));
    }
}
