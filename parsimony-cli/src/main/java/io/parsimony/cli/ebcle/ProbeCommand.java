package io.parsimony.cli.ebcle;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.experiment.ebcle.DepthProbe;
import io.parsimony.experiment.ebcle.ProbePlot;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.nio.file.Path;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Trains plain CNNs of increasing depth and reports where accuracy plateaus and layers turn near-identity. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Empirical check of the EBCLE bound: accuracy, time and layer CKA per depth, with a plot.")
public final class ProbeCommand implements Runnable {

    @Option(names = "--depths", split = ",", defaultValue = "1,2,3,4,6,8", paramLabel = "D1,D2,..",
            description = "Depths (conv layers) to train (default: ${DEFAULT-VALUE}).")
    int[] depths;

    @Option(names = "--width", defaultValue = "32", description = "Channels of every conv (default: ${DEFAULT-VALUE}).")
    int width;

    @Mixin
    DataOptions data;

    @Mixin
    BoundOptions bound;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    io.parsimony.cli.options.RunOptions runs;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (Arrays.stream(depths).anyMatch(d -> d < 1) || width < 1) {
            throw new io.parsimony.cli.output.UserException("depths and width must be positive");
        }
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        Path dir = runs.directory("ebcle-probe");
        DepthProbe.Report report = DepthProbe.run(train, test, depths, width, recipe.recipe(), bound.constants(), dir,
                d -> runs.listener("depth " + d, output.json()));
        var plots = ProbePlot.write(report, dir.resolve("probe"));
        io.parsimony.cli.output.ResultFile.writeJson(dir.resolve("probe.json"), report);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, report);
            return;
        }
        Output.writeTable(out, report.points(),
                Col.right("depth", p -> String.valueOf(p.depth())),
                Col.left("model", DepthProbe.Point::model),
                Col.right("test top-1", p -> String.format("%.2f%%", 100 * p.top1())),
                Col.right("train time", p -> String.format("%.0f s", p.trainSeconds())),
                Col.left("CKA(layer l-1, l), l = 2..", p -> Arrays.stream(p.layerCka()).mapToObj(c -> String.format("%.2f", c))
                        .collect(Collectors.joining(" "))));
        out.printf("EBCLE bound: %d conv layers (H = %.2f bits, side %d)%n", report.bound().maxConvLayers(),
                report.bound().bits(), report.bound().resolution());
        out.printf("accuracy plateau (within %.1f points of the best) from depth %d; first depth whose last layer is near-identity (CKA >= %.2f): %s%n",
                100 * DepthProbe.PLATEAU_TOLERANCE, report.accuracyPlateauDepth(), DepthProbe.NEAR_IDENTITY,
                report.nearIdentityDepth() < 0 ? "none" : String.valueOf(report.nearIdentityDepth()));
        out.println("plot: " + plots.get(0) + " and " + plots.get(1) + "; data: " + dir.resolve("probe.json"));
        out.flush();
    }
}
