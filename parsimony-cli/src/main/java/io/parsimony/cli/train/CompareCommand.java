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
import io.parsimony.nn.model.P4CnnSpec;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
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
 * run, so a stopped comparison keeps the runs already finished. With {@code --seeds N} every model
 * is trained N times (recipe seeds seed, seed+1, ...) and the table gives the mean ± sample
 * standard deviation of the test error; {@code compare-summary.json} holds those aggregates.
 *
 * <p>Seed 004's question: when the list holds a P4CNN, its base and a rescaling of the base by
 * learnable repetition, the fraction of the P4CNN's gain over the base that the rescaling recovers,
 * (err_base − err_rescaled) / (err_base − err_p4cnn) on mean test errors, is printed for each.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train a list of models with one recipe and compare parameters, accuracy and time.")
public final class CompareCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "plain:N1,N2,.. | resnet:WIDTHS/REPEATS | a DACNN preset | z2cnn | p4cnn | a plain or residual one @wWdD[-plain] (rescaled).")
    List<String> models;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    RunOptions runs;

    @Mixin
    Output output;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Train every model N times, with seeds --seed, --seed+1, ...; report mean ± std (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Spec
    CommandSpec spec;

    /** One training run of a compared model: sizes (unique tensors vs every use its own), extra coefficients, result. */
    public record Row(String model, String spec, long parameters, long unsharedParameters, long coefficients,
                      long convWeights, long seed, TrainingRun.Result result) {
    }

    /** A model over its seeds: test error mean and sample standard deviation (0 for one run). */
    public record Aggregate(String model, String spec, long parameters, long unsharedParameters, long coefficients,
                            int runs, double testErrorMean, double testErrorStd, double trainSecondsMean) {
    }

    /** The share of a P4CNN's gain over {@code base} that {@code rescaled} recovers (null when the P4CNN does not gain). */
    public record GainRecovered(String reference, String base, String rescaled, double errorReference, double errorBase,
                                double errorRescaled, Double fraction) {
    }

    /** What {@code compare-summary.json} holds. */
    public record Summary(List<Aggregate> models, List<GainRecovered> gains) {
    }

    @Override
    public void run() {
        if (seeds < 1 || seeds > 1000) {
            throw new io.parsimony.cli.UserException("--seeds must be between 1 and 1000, got " + seeds);
        }
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        int size = Math.min(train.height(), train.width());
        List<ModelSpec> specs = models.stream().map(m -> ModelCatalog.parse(m, train.channels(), train.classes(), size)).toList();
        Path base = runs.directory("compare");
        List<Row> rows = new ArrayList<>();
        Shape in = new Shape(1, train.channels(), train.height(), train.width());
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec m = specs.get(i);
            ModelSummary summary = summary(m, in);
            long unique = summary.trainable();
            long unshared = physical(m, summary, in);
            long coefficients = m instanceof RescaledSpec r ? r.coefficients() : 0;
            for (int k = 0; k < seeds; k++) {
                TrainingRecipe r = recipe.recipe();
                long seed = r.seed() + k;
                String name = String.format("%02d-%s", i + 1, ModelCatalog.format(m).replaceAll("[^A-Za-z0-9]+", "-"))
                        + (seeds > 1 ? "-seed" + seed : "");
                TrainingListener listener = runs.listener(m.describe() + (seeds > 1 ? " seed " + seed : ""), output.json());
                TrainingRun.Result result = new TrainingRun(m, r.withSeed(seed), base.resolve(name)).listener(listener)
                        .run(train, test, false);
                rows.add(new Row(m.describe(), ModelCatalog.format(m), unique, unshared, coefficients, result.convWeights(), seed,
                        result));
                save(base.resolve("compare.json"), rows);
            }
        }
        Summary summary = summarise(specs, rows);
        io.parsimony.cli.ResultFile.writeJson(base.resolve("compare-summary.json"), summary);
        var out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, rows);
            return;
        }
        if (seeds == 1) {
            Output.writeTable(out, rows,
                    Col.left("model", Row::model),
                    Col.right("optimised params", r -> Output.thousands(r.parameters())),
                    Col.right("params if unshared", r -> Output.thousands(r.unsharedParameters())),
                    Col.right("coefficients", r -> Output.thousands(r.coefficients())),
                    Col.right("test top-1", r -> String.format("%.2f%%", 100 * r.result().test().top1())),
                    Col.right("top-5", r -> String.format("%.2f%%", 100 * r.result().test().top5())),
                    Col.right("train time", r -> String.format("%.0f s", r.result().trainSeconds())));
        } else {
            Output.writeTable(out, summary.models(),
                    Col.left("model", Aggregate::spec),
                    Col.right("optimised params", a -> Output.thousands(a.parameters())),
                    Col.right("params if unshared", a -> Output.thousands(a.unsharedParameters())),
                    Col.right("coefficients", a -> Output.thousands(a.coefficients())),
                    Col.right("test error (mean ± std, " + seeds + " seeds)",
                            a -> String.format("%.2f%% ± %.2f", 100 * a.testErrorMean(), 100 * a.testErrorStd())),
                    Col.right("train time", a -> String.format("%.0f s", a.trainSecondsMean())));
        }
        for (GainRecovered g : summary.gains()) {
            out.println(g.fraction() == null
                    ? String.format("%s does not beat %s here (test error %.2f%% vs %.2f%%): no gain for %s to recover",
                    g.reference(), g.base(), 100 * g.errorReference(), 100 * g.errorBase(), g.rescaled())
                    : String.format("fraction of %s's gain over %s recovered by %s: %.0f%% (test error %.2f%% -> %.2f%%, %s %.2f%%)",
                    g.reference(), g.base(), g.rescaled(), 100 * g.fraction(), 100 * g.errorBase(), 100 * g.errorRescaled(),
                    g.reference(), 100 * g.errorReference()));
        }
        out.println("results in " + base.resolve("compare.json"));
        out.flush();
    }

    /**
     * The physical size: trainable parameters if every tensor had its own copy at every use. A
     * rescaled net's and a P4CNN's are those of their plain twin (the same layers at full width);
     * other shared tensors count once per use.
     */
    static long physical(ModelSpec m, ModelSummary summary, Shape in) {
        if (m instanceof RescaledSpec r) {
            return summary(r.scaled(), in).trainable();
        }
        if (m instanceof P4CnnSpec p) {
            return summary(p.plainTwin(), in).trainable();
        }
        return summary.trainable() + summary.unsharedParameters() - summary.parameters();
    }

    /** Mean ± std per model, in the order given, and the gain fractions (see the class comment). */
    static Summary summarise(List<ModelSpec> specs, List<Row> rows) {
        List<Aggregate> models = new ArrayList<>();
        java.util.Map<ModelSpec, Aggregate> bySpec = new java.util.LinkedHashMap<>();
        for (ModelSpec m : specs) {
            String text = ModelCatalog.format(m);
            List<Row> runs = rows.stream().filter(r -> r.spec().equals(text)).toList();
            if (runs.isEmpty() || bySpec.containsKey(m)) {
                continue;
            }
            double[] err = runs.stream().mapToDouble(r -> 1 - r.result().test().top1()).toArray();
            double mean = java.util.Arrays.stream(err).average().orElse(Double.NaN);
            double ss = java.util.Arrays.stream(err).map(e -> (e - mean) * (e - mean)).sum();
            Row first = runs.get(0);
            Aggregate a = new Aggregate(first.model(), text, first.parameters(), first.unsharedParameters(), first.coefficients(),
                    runs.size(), mean, err.length > 1 ? Math.sqrt(ss / (err.length - 1)) : 0,
                    runs.stream().mapToDouble(r -> r.result().trainSeconds()).average().orElse(0));
            models.add(a);
            bySpec.put(m, a);
        }
        List<GainRecovered> gains = new ArrayList<>();
        for (var p : bySpec.entrySet()) {
            if (!(p.getKey() instanceof P4CnnSpec)) {
                continue;
            }
            for (var r : bySpec.entrySet()) {
                if (r.getKey() instanceof RescaledSpec rescaled && bySpec.containsKey(rescaled.base())) {
                    Aggregate b = bySpec.get(rescaled.base()), ref = p.getValue(), x = r.getValue();
                    double gain = b.testErrorMean() - ref.testErrorMean();
                    gains.add(new GainRecovered(ref.spec(), b.spec(), x.spec(), ref.testErrorMean(), b.testErrorMean(),
                            x.testErrorMean(), gain > 0 ? Double.valueOf((b.testErrorMean() - x.testErrorMean()) / gain) : null));
                }
            }
        }
        return new Summary(models, gains);
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
