package io.parsimony.cli.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.parsimony.cli.Output;
import io.parsimony.cli.Output.Col;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.ModelSummary;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRun;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains several model specs with one recipe on one data set and compares their size and
 * accuracy (the papers' tables at reduced scale). {@code compare.json} is rewritten after every
 * model, so a stopped comparison keeps the models already trained.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train a list of models with one recipe and compare parameters, accuracy and time.")
public final class CompareCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "plain:N1,N2,.. | resnet:WIDTHS/REPEATS | a DACNN preset | any of them @wWdD (rescaled).")
    List<String> models;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    RunOptions runs;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** One compared model: sizes (unique tensors vs every use its own), extra coefficients, result. */
    public record Row(String model, String spec, long parameters, long unsharedParameters, long coefficients,
                      long convWeights, TrainingRun.Result result) {
    }

    @Override
    public void run() {
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        int size = Math.min(train.height(), train.width());
        List<ModelSpec> specs = models.stream().map(m -> ModelCatalog.parse(m, train.channels(), train.classes(), size)).toList();
        Path base = runs.directory("compare");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec m = specs.get(i);
            Shape in = new Shape(1, train.channels(), train.height(), train.width());
            ModelSummary summary = summary(m, in);
            long unique = summary.trainable();
            // a rescaled net's unshared size is its plain twin's; shared tensors elsewhere count once per use
            long unshared = m instanceof RescaledSpec r ? summary(r.scaled(), in).trainable()
                    : unique + summary.unsharedParameters() - summary.parameters();
            long coefficients = m instanceof RescaledSpec r ? r.coefficients() : 0;
            TrainingListener listener = runs.listener(m.describe(), output.json());
            Path dir = base.resolve(String.format("%02d-%s", i + 1, ModelCatalog.format(m).replaceAll("[^A-Za-z0-9]+", "-")));
            TrainingRun.Result result = new TrainingRun(m, recipe.recipe(), dir).listener(listener).run(train, test, false);
            rows.add(new Row(m.describe(), ModelCatalog.format(m), unique, unshared, coefficients, result.convWeights(), result));
            save(base.resolve("compare.json"), rows);
        }
        var out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, rows);
            return;
        }
        Output.writeTable(out, rows,
                Col.left("model", Row::model),
                Col.right("optimised params", r -> Output.thousands(r.parameters())),
                Col.right("params if unshared", r -> Output.thousands(r.unsharedParameters())),
                Col.right("coefficients", r -> Output.thousands(r.coefficients())),
                Col.right("test top-1", r -> String.format("%.2f%%", 100 * r.result().test().top1())),
                Col.right("top-5", r -> String.format("%.2f%%", 100 * r.result().test().top5())),
                Col.right("train time", r -> String.format("%.0f s", r.result().trainSeconds())));
        out.println("results in " + base.resolve("compare.json"));
        out.flush();
    }

    static ModelSummary summary(ModelSpec m, Shape in) {
        io.parsimony.nn.model.ModelSize.of(m, (int) in.get(2), (int) in.get(3)).requireBuildable();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block b = m.build();
            b.initialize(manager, DataType.FLOAT32, in);
            return ModelSummary.of(b, in);
        }
    }

    private static void save(Path file, List<Row> rows) {
        io.parsimony.cli.ResultFile.writeJson(file, rows);
    }
}
