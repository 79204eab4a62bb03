package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.ModelSummary;
import io.parsimony.nn.model.P4CnnSpec;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.experiment.design.Comparison;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.cli.options.RunOptions;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains several model specs with one recipe on one data set and compares their size and
 * accuracy (the papers' tables at reduced scale). {@code compare.json} is rewritten after every
 * run, so a stopped comparison keeps the runs already finished. With {@code --seeds N} every model
 * is trained N times (recipe seeds seed, seed+1, ...); {@code compare-summary.json} holds the mean
 * ± sample standard deviation of each model's accuracy and time and its difference from the first.
 *
 * <p>Seed 004's question: when the list holds a P4CNN, a base and a rescaling of that base by
 * learnable repetition, the fraction of the P4CNN's gain over the base that the rescaling recovers,
 * (err_base − err_rescaled) / (err_base − err_p4cnn) on mean test errors, is printed for each.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train a list of models with one recipe and compare parameters, accuracy and time.")
public final class CompareCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "plain:N1,N2,.. | resnet:WIDTHS/REPEATS | a DACNN preset[@xF][-unshared] | resnet-18|resnet-34|alexnet[@xF][-balanced]"
                    + " | z2cnn | p4cnn | a plain or residual one @wWdD[-plain] (rescaled).")
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

    /** Most seeds a comparison takes: enough for an interval, few enough to finish. */
    static final int MAX_SEEDS = 10;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Train every model with seeds SEED..SEED+N-1 and report mean ± std of accuracy and training time,"
                    + " and each model's difference from the first with a 95%% interval (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--resume", description = "Continue an interrupted comparison in --run DIR with the same flags: finished "
            + "runs are read back, a half-trained one resumes from its last checkpoint.")
    boolean resume;

    /** One trained model: sizes (unique tensors vs every use its own), extra coefficients, the name as typed, seed, result. */
    public record Row(String model, String spec, long parameters, long unsharedParameters, long coefficients,
                      long convWeights, String name, long seed, TrainingRun.Result result) {
    }

    /**
     * One model over the seeds: test top-1 and wall-clock training seconds as mean ± sample std
     * (0 for one seed), seconds per epoch, and the differences from the first model (mean and 95%
     * Welch interval; null for the first).
     */
    public record Aggregate(String name, String model, String spec, long parameters, long unsharedParameters, long coefficients,
                            int seeds, double top1Mean, double top1Std, double trainSecondsMean, double trainSecondsStd,
                            double secondsPerEpoch, Comparison.Difference top1VsFirst, Comparison.Difference trainSecondsVsFirst) {
        public double testErrorMean() {
            return 1 - top1Mean;
        }

        public double testErrorStd() {
            return top1Std;
        }
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
        if (resume && !runs.given()) {
            throw new io.parsimony.cli.output.UserException("--resume needs --run DIR (the comparison to continue)");
        }
        if (seeds < 1 || seeds > MAX_SEEDS) {
            throw new io.parsimony.cli.output.UserException("--seeds must be in 1.." + MAX_SEEDS + ", got " + seeds);
        }
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        int size = Math.min(train.height(), train.width());
        List<ModelSpec> specs = models.stream().map(m -> ModelCatalog.parse(m, train.channels(), train.classes(), size)).toList();
        Path base = runs.directory("compare");
        List<Row> rows = new ArrayList<>();
        int[] in = {train.channels(), train.height(), train.width()};
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec m = specs.get(i);
            ModelSummary summary = summary(m, in);
            long unique = summary.trainable();
            long unshared = physical(m, summary, in);
            long coefficients = m instanceof RescaledSpec r ? r.coefficients() : 0;
            for (int k = 0; k < seeds; k++) {
                TrainingRecipe recipe = recipe().withSeed(recipe().seed() + k);
                TrainingListener listener = runs.listener(m.describe() + (seeds > 1 ? " seed " + recipe.seed() : ""), output.json());
                Path dir = base.resolve(String.format("%02d-%s%s", i + 1, ModelCatalog.format(m).replaceAll("[^A-Za-z0-9]+", "-"),
                        seeds > 1 ? "-s" + recipe.seed() : ""));
                TrainingRun run = new TrainingRun(m, recipe, dir).listener(listener);
                TrainingRun.Result result;
                if (resume) {
                    TrainingRun.Continued c = run.continueRun(train, test);
                    if (c.readBack()) {
                        spec.commandLine().getErr().printf("%s seed %d: finished before, read back from %s%n", models.get(i).strip(),
                                recipe.seed(), dir);
                    }
                    result = c.result();
                } else {
                    result = run.run(train, test, false);
                }
                rows.add(new Row(m.describe(), ModelCatalog.format(m), unique, unshared, coefficients, result.convWeights(),
                        models.get(i).strip(), recipe.seed(), result));
                save(base.resolve("compare.json"), rows);
            }
        }
        Summary summary = summarise(specs, rows);
        io.parsimony.cli.output.ResultFile.writeJson(base.resolve("compare-summary.json"), summary);
        List<java.nio.file.Path> plot = io.parsimony.experiment.report.EnergyPlot.write(io.parsimony.experiment.report.ComparePlot.chart(
                summary.models().stream().map(a -> new io.parsimony.experiment.report.ComparePlot.Point(a.name(), a.parameters(),
                        a.top1Mean(), a.top1Std())).toList(), "Test accuracy against optimised parameters (" + data.name() + ")",
                900, 620), base.resolve("compare"));
        var out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, rows);
            return;
        }
        Output.writeTable(out, rows,
                Col.left("model", r -> r.name().equals(r.spec()) ? r.model() : r.name() + " = " + r.model()),
                Col.right("seed", r -> String.valueOf(r.seed())),
                Col.right("optimised params", r -> Output.thousands(r.parameters())),
                Col.right("params if unshared", r -> Output.thousands(r.unsharedParameters())),
                Col.right("coefficients", r -> Output.thousands(r.coefficients())),
                Col.right("test top-1", r -> String.format("%.2f%%", 100 * r.result().test().top1())),
                Col.right("top-5", r -> String.format("%.2f%%", 100 * r.result().test().top5())),
                Col.right("train time", r -> String.format("%.0f s", r.result().trainSeconds())));
        if (seeds > 1) {
            out.printf("over %d seeds (%d..%d): mean ± sample std; differences from the first model with 95%% Welch intervals%n",
                    seeds, recipe().seed(), recipe().seed() + seeds - 1);
            Output.writeTable(out, summary.models(),
                    Col.left("model", Aggregate::name),
                    Col.right("params", a -> Output.thousands(a.parameters())),
                    Col.right("if unshared", a -> Output.thousands(a.unsharedParameters())),
                    Col.right("test top-1", a -> String.format("%.2f ± %.2f%%", 100 * a.top1Mean(), 100 * a.top1Std())),
                    Col.right("test error", a -> String.format("%.2f%%", 100 * (1 - a.top1Mean()))),
                    Col.right("vs first (points)", a -> interval(a.top1VsFirst(), 100, "%+.2f")),
                    Col.right("train time", a -> String.format("%.1f ± %.1f s", a.trainSecondsMean(), a.trainSecondsStd())),
                    Col.right("s/epoch", a -> String.format("%.1f", a.secondsPerEpoch())),
                    Col.right("time vs first", a -> interval(a.trainSecondsVsFirst(), 1, "%+.1f s")));
        }
        for (GainRecovered g : summary.gains()) {
            out.println(g.fraction() == null
                    ? String.format("%s does not beat %s here (test error %.2f%% vs %.2f%%): no gain for %s to recover",
                    g.reference(), g.base(), 100 * g.errorReference(), 100 * g.errorBase(), g.rescaled())
                    : String.format("fraction of %s's gain over %s recovered by %s: %.0f%% (test error %.2f%% -> %.2f%%, %s %.2f%%)",
                    g.reference(), g.base(), g.rescaled(), 100 * g.fraction(), 100 * g.errorBase(), 100 * g.errorRescaled(),
                    g.reference(), 100 * g.errorReference()));
        }
        out.println("plot: " + plot.get(0) + " and " + plot.get(1));
        out.println("summary in " + base.resolve("compare-summary.json"));
        out.println("results in " + base.resolve("compare.json"));
        out.flush();
    }

    private TrainingRecipe recipe() {
        return recipe.recipe();
    }

    private static String interval(Comparison.Difference d, double scale, String format) {
        if (d == null) {
            return "-";
        }
        String mean = String.format(format, scale * d.mean());
        return Double.isNaN(d.low()) ? mean : String.format("%s [%s, %s]", mean, String.format(format, scale * d.low()),
                String.format(format, scale * d.high()));
    }

    /**
     * The physical size: trainable parameters if every tensor had its own copy at every use. A
     * rescaled net's and a P4CNN's are those of their plain twin (the same layers at full width);
     * other shared tensors count once per use.
     */
    static long physical(ModelSpec m, ModelSummary summary, int[] in) {
        if (m instanceof RescaledSpec r) {
            return summary(r.scaled(), in).trainable();
        }
        if (m instanceof P4CnnSpec p) {
            return summary(p.plainTwin(), in).trainable();
        }
        return summary.trainable() + summary.unsharedParameters() - summary.parameters();
    }

    /**
     * Each model over its seeds, in the order given (the first is the reference of the
     * differences), and the gain fractions of every rescaling whose base and a P4CNN are listed too.
     */
    static Summary summarise(List<ModelSpec> specs, List<Row> rows) {
        List<Aggregate> models = new ArrayList<>();
        java.util.Map<ModelSpec, Aggregate> bySpec = new java.util.LinkedHashMap<>();
        Comparison.Group firstTop1 = null, firstTime = null;
        for (ModelSpec m : specs) {
            String text = ModelCatalog.format(m);
            List<Row> g = rows.stream().filter(r -> r.spec().equals(text)).toList();
            if (g.isEmpty() || bySpec.containsKey(m)) {
                continue;
            }
            Row r0 = g.get(0);
            Comparison.Group top1 = Comparison.Group.of(r0.name(), r0.model(), g.stream().map(r -> r.result().test().top1()).toList());
            Comparison.Group time = Comparison.Group.of(r0.name(), r0.model(), g.stream().map(r -> r.result().trainSeconds()).toList());
            double epochs = g.stream().mapToDouble(r -> r.result().history().isEmpty() ? r.result().epochs()
                    : r.result().history().size()).sum();
            double perEpoch = g.stream().mapToDouble(r -> r.result().trainSeconds()).sum() / Math.max(1, epochs);
            boolean first = firstTop1 == null;
            if (first) {
                firstTop1 = top1;
                firstTime = time;
            }
            Aggregate a = new Aggregate(r0.name(), r0.model(), text, r0.parameters(), r0.unsharedParameters(), r0.coefficients(),
                    g.size(), top1.mean(), g.size() > 1 ? top1.std() : 0, time.mean(), g.size() > 1 ? time.std() : 0, perEpoch,
                    first ? null : Comparison.difference(top1, firstTop1), first ? null : Comparison.difference(time, firstTime));
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

    /** The summary of {@code m} for one image of {@code in} = {channels, height, width}. */
    static ModelSummary summary(ModelSpec m, int[] in) {
        return ModelSummary.of(m, in[0], in[1], in[2]);
    }

    private static void save(Path file, List<Row> rows) {
        io.parsimony.cli.output.ResultFile.writeJson(file, rows);
    }
}
