package io.parsimony.cli.experiment;

import io.parsimony.cli.options.BudgetOptions;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.cli.output.UserException;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.experiment.design.Candidate;
import io.parsimony.experiment.design.Comparison;
import io.parsimony.experiment.design.Design;
import io.parsimony.experiment.design.DesignReport;
import io.parsimony.experiment.design.DesignSpace;
import io.parsimony.experiment.design.Family;
import io.parsimony.experiment.ebcle.DatasetEntropy;
import io.parsimony.experiment.ebcle.DepthBound;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.sweep.EpochLines;
import io.parsimony.experiment.sweep.RerunCommand;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.experiment.sweep.WorkerPlan;
import io.parsimony.export.latency.LatencyMeter;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelSize;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parsimony design}: a budget and a data set in, the best trained network, its evidence
 * and a report out. Parses and prints only; the design itself is
 * {@link io.parsimony.experiment.design.Design}.
 */
@Command(name = "design", mixinStandardHelpOptions = true, modelTransformer = DesignCommand.RungLengthHidden.class,
        description = {"From a parameter budget and a data set to the best trained network: candidates of every family "
                + "that spend the budget (depth up to the EBCLE bound), optionally within --max-macs and --max-latency, "
                + "successive halving by validation accuracy within --time, then a final stage of --final-epochs: the winner "
                + "against the paper's default, a random layout and the best block-unit ResNet, --seeds each, on the test split.",
                "Every training is recorded in --store; rerun the same command to resume a stopped design.",
                "Rungs take their steps from --time (or --rung-steps); the final stage trains --final-epochs, so the "
                        + "training flags --epochs and --steps do not apply."})
public final class DesignCommand implements Callable<Integer> {

    /** The shortest --time accepted before anything is measured (a design trains dozens of networks). */
    static final long MIN_SECONDS = 60;

    @Mixin
    BudgetOptions budget;

    @Mixin
    DataOptions data;

    @Option(names = "--time", defaultValue = "30m", paramLabel = "DURATION",
            description = "Time for the rungs, e.g. 30m, 1h, 1h30m, 600s (default: ${DEFAULT-VALUE}); the final stage comes on top "
                    + "and its estimate is printed before it starts. When the time cannot give every candidate a first rung of "
                    + "16,384 images, the most expensive candidates are left out (one line says which).")
    String time;

    @Option(names = "--final-epochs", defaultValue = "30", paramLabel = "E",
            description = "Epochs of every final training: winner, default, random, ResNet, --seeds each (default: ${DEFAULT-VALUE}; "
                    + "0 = as long as the last rung).")
    int finalEpochs;

    @Option(names = "--final-schedule", defaultValue = "cosine", paramLabel = "cosine|multistep",
            description = "Learning rate of the final stage: cosine annealing over --final-epochs, or x0.1 at 1/2 and 5/6 of them "
                    + "(default: ${DEFAULT-VALUE}).")
    String finalSchedule;

    @Option(names = "--max-macs", paramLabel = "N",
            description = "Leave out candidates above N multiply-adds per image (e.g. 2000000, 2M, 500k; default: no limit).")
    String maxMacs;

    @Option(names = "--max-latency", paramLabel = "DURATION",
            description = "Leave out candidates whose batch-1 latency, measured with ONNX Runtime on this machine's CPU from "
                    + "their export (median after warm-up, cached per host), is above DURATION (e.g. 2ms, 0.5ms, 800us).")
    String maxLatency;

    @Option(names = "--families", defaultValue = "plain,resnet,dacnn,rescaled", paramLabel = "F,..",
            description = "Candidate families (default: ${DEFAULT-VALUE}).")
    String families;

    @Option(names = "--max-depth", paramLabel = "N", description = "Deepest candidate in conv layers (default: the EBCLE bound).")
    Integer maxDepth;

    @Option(names = "--top", defaultValue = "2", paramLabel = "K", description = "Plain layouts per depth, by energy (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--eta", defaultValue = "3", paramLabel = "ETA", description = "Keep the best 1/ETA of each rung (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Seeds per network in the final comparison (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--rung-steps", defaultValue = "0", paramLabel = "N",
            description = "Fix the first rung at N steps instead of fitting the rungs to --time (0 = fit; no timing probe).")
    long rungSteps;

    @Mixin
    RecipeOptions recipe;

    @Option(names = "--store", defaultValue = "runs/design.sqlite", paramLabel = "FILE|URL", converter = StoreConverter.class,
            description = "Results store, created if absent: " + StoreConverter.HELP + " (default: ${DEFAULT-VALUE}).")
    io.parsimony.experiment.store.StoreLocation store;

    @Option(names = "--runs", paramLabel = "DIR", description = "Run directories (default: next to the store, <store name>-runs/).")
    Path runs;

    @Option(names = "--out", paramLabel = "DIR", description = "design.json and design.html (default: <store name>-design-<key>/).")
    Path out;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--dry-run", description = "List the candidates (conv weights, parameters, multiply-adds, measured latency, energy) and stop.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "No per-run lines.")
    boolean quiet;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var given = spec.commandLine().getParseResult();
        for (String flag : RungLengthHidden.FLAGS) {
            if (given.hasMatchedOption(flag)) {
                throw new UserException(flag + " does not apply to a design: rungs take their steps and schedule from --time (fix "
                        + "them with --rung-steps N) and the final stage trains --final-epochs E with --final-schedule");
            }
        }
        BudgetOptions.UnitBand band = budget.unitBand(3);   // candidates are 3x3 convs
        long budgetUnits = band.units(), tolUnits = band.tolerance();
        long seconds = parseDuration(time);
        Order ord = budget.order();
        var fams = Family.parseList(families);
        if (maxDepth != null && maxDepth < 2) {
            throw new UserException("--max-depth must be at least 2, got " + maxDepth);
        }
        TrainingRecipe base = recipe.recipe();
        WorkerPlan machine = workers.plan(null, false);

        ImageSet train = data.load(Split.TRAIN);
        int size = Math.min(train.height(), train.width());
        DepthBound.Result bound = DepthBound.DEFAULT.apply(DatasetEntropy.of(train).meanImageEntropy(), size);
        int depth = maxDepth == null ? bound.maxConvLayers() : Math.min(maxDepth, Math.max(2, bound.maxConvLayers()));
        DesignSpace space = new DesignSpace(budgetUnits, tolUnits, ord, fams, depth, top, train.channels(), train.classes(), size);
        Design.Settings settings = new Design.Settings(space, data.name(), base, seconds, eta, seeds, 31, rungSteps, finalEpochs,
                finalSchedule, maxMacs == null ? 0 : parseCount(maxMacs), maxLatency == null ? 0 : parseMillis(maxLatency));
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter log = output.json() ? spec.commandLine().getErr() : o;
        log.printf("design %s: %s%n", settings.key(), settings.title());
        log.printf("depth up to %d conv layers (EBCLE bound %d: %d stages x %d layers, %.2f bits)%s%n", depth,
                bound.maxConvLayers(), bound.stages(), bound.layersPerStage(), bound.bits(),
                maxDepth != null ? ", capped by --max-depth" : "");
        log.println("measuring batch-1 latency of every candidate with ONNX Runtime (cached per host)...");
        log.flush();
        LatencyMeter meter = LatencyMeter.cached();
        Design.Plan plan = Design.plan(settings, meter::medianMillis);
        if (meter.measurements() > 0) {
            log.printf("measured %d latencies on %s%n", meter.measurements(), io.parsimony.nn.engine.Host.current().cpu());
        }
        plan.notes().forEach(log::println);
        log.flush();
        if (dryRun) {
            printPlan(o, plan, train);
            return 0;
        }
        machine.applyToThisJvm();
        String command = RerunCommand.of(Path.of(""), List.of("design"), given.originalArgs());
        Progress progress = new Progress(log, quiet);
        // a pulse per epoch for runs of 3 epochs or more (the last rungs, the final stage: up to an hour each)
        SweepRunner.Options opts = machine.options(SweepWorkerCommand.MAIN, false, label -> quiet ? TrainingListener.SILENT
                : new EpochLines("    " + label, progress::say, 600).onlyForRunsOf(3));
        Design.Outcome outcome = Design.run(settings, plan, store, runs, command, opts, train, () -> data.load(Split.TEST),
                progress);
        Path dir = out != null ? out : ResultStore.sibling(store.anchor(), "-design-" + settings.key().substring(0, 8));
        List<Path> files = Design.write(dir, settings, outcome);
        if (!outcome.complete()) {
            throw new UserException("the design stopped before it finished (" + outcome.rungs().size() + " rungs recorded); "
                    + "run the same command again to resume it");
        }
        String shipDir = outcome.deliverable().runDir();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("design", settings.key());
            doc.put("winner", outcome.winner().model());
            doc.put("winnerRunDir", outcome.winnerRunDir());
            doc.put("deliverable", outcome.deliverable());
            doc.put("ship", shipDir == null ? List.of() : DesignReport.shipCommands(shipDir, data.name()));
            doc.put("final", outcome.groups());
            doc.put("differences", outcome.differences());
            doc.put("files", files.stream().map(Path::toString).toList());
            Output.writeJson(o, doc);
        } else {
            o.printf("winner: %s (%s)%n", outcome.winner().model(), outcome.winner().spec().describe());
            Output.writeTable(o, outcome.groups(),
                    Col.left("role", Comparison.Group::role),
                    Col.left("model", Comparison.Group::model),
                    Col.right("seeds", g -> String.valueOf(g.top1().size())),
                    Col.right("test top-1", g -> String.format(Locale.ROOT, "%.2f%%", 100 * g.mean())),
                    Col.right("sd", g -> Double.isFinite(g.std()) ? String.format(Locale.ROOT, "%.2f pts", 100 * g.std()) : "-"));
            for (Comparison.Difference d : outcome.differences()) {
                o.printf("%s - %s: %+.2f pts, 95%% CI %s%n", d.of(), d.against(), 100 * d.mean(), Double.isFinite(d.low())
                        ? String.format(Locale.ROOT, "[%+.2f, %+.2f]", 100 * d.low(), 100 * d.high()) : "n/a");
            }
            o.printf("winner's run directory: %s%n", outcome.winnerRunDir());
            if (!outcome.deliverable().winner()) {
                o.println(outcome.deliverable().overtaken());
            }
            o.printf("files: %s, %s%n", files.get(0), files.get(1));
            if (shipDir != null) {
                o.println("ship it:");
                DesignReport.shipCommands(shipDir, data.name()).forEach(c -> o.println("  " + c));
            }
        }
        o.flush();
        return 0;
    }

    private static String latency(Design.Plan plan, Candidate c) {
        Double ms = plan.latencyMillis().get(c.model());
        return ms == null ? "-" : String.format(Locale.ROOT, "%.3f ms", ms);
    }

    private static final Pattern COUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmg]?)");

    /** "2000000", "2M", "1.5m", "500k" → a count; anything else is refused. */
    static long parseCount(String text) {
        Matcher m = COUNT.matcher(text.strip().toLowerCase(Locale.ROOT).replace(",", "").replace("_", ""));
        if (!m.matches()) {
            throw new UserException("--max-macs '" + text + "' is not a count; write e.g. 2000000, 2M or 500k");
        }
        double v = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
        if (v < 1 || v > Long.MAX_VALUE / 2.0) {
            throw new UserException("--max-macs must be at least 1 multiply-add, got '" + text + "'");
        }
        return Math.round(v);
    }

    private static final Pattern MILLIS = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|s)");

    /** "2ms", "0.5ms", "800us", "0.002s" → milliseconds; anything else is refused. */
    static double parseMillis(String text) {
        Matcher m = MILLIS.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserException("--max-latency '" + text + "' is not a duration; write e.g. 2ms, 0.5ms or 800us");
        }
        double v = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "s" -> 1000;
            case "ms" -> 1;
            default -> 1e-3;
        };
        if (!(v > 0)) {
            throw new UserException("--max-latency must be positive, got '" + text + "'");
        }
        return v;
    }

    /**
     * Keeps the training recipe's {@code --epochs}, {@code --steps} and {@code --schedule} out of this command's help
     * (a design sets both itself), while still parsing them so that giving one is refused with the fix.
     */
    static final class RungLengthHidden implements picocli.CommandLine.IModelTransformer {
        static final List<String> FLAGS = List.of("--epochs", "--steps", "--schedule");

        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (String name : FLAGS) {
                picocli.CommandLine.Model.OptionSpec o = spec.findOption(name);
                if (o != null && !o.hidden()) {
                    spec.remove(o);
                    spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(o).hidden(true).build());
                }
            }
            return spec;
        }
    }

    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,4})h)?(?:(\\d{1,6})m)?(?:(\\d{1,8})s)?");

    /** "30m", "1h30m", "600s" → seconds; anything else, or less than a minute, is refused. */
    static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (text.isBlank() || !m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
            throw new UserException("--time '" + text + "' is not a duration; write e.g. 30m, 1h, 1h30m or 600s");
        }
        long s = 0;
        s += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
        s += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
        s += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        if (s < MIN_SECONDS) {
            throw new UserException("--time " + text + " is too short for one rung of a design; give at least 1m (e.g. --time 10m)");
        }
        return s;
    }

    private void printPlan(PrintWriter o, Design.Plan plan, ImageSet train) {
        List<Candidate> rows = new java.util.ArrayList<>(plan.candidates());
        if (output.json()) {
            Output.writeJson(o, Map.of("candidates", rows, "default", plan.defaultLayout(), "random", plan.randomLayout()));
            return;
        }
        Output.writeTable(o, rows,
                Col.right("#", c -> String.valueOf(rows.indexOf(c) + 1)),
                Col.left("family", c -> c.family().label()),
                Col.left("model", Candidate::model),
                Col.right("convs", c -> String.valueOf(c.convLayers())),
                Col.right("conv weights", c -> Output.thousands(c.convWeights())),
                Col.right("of budget", c -> String.format(Locale.ROOT, "%s%.2f%%", c.exact() ? "" : "<=", 100 * c.spent())),
                Col.right("parameters", c -> String.format(Locale.ROOT, "%,d",
                        ModelSize.of(c.spec(), train.height(), train.width()).parameters())),
                Col.right("mult-adds", c -> Output.thousands(c.multiplyAdds())),
                Col.right("latency", c -> latency(plan, c)),
                Col.right("energy", c -> Output.fixed(c.energy(), 2)));
        o.printf("%d candidates; baselines: default %s (%s), random (median energy of 31 draws) %s (%s), hand-designed: %s%n",
                rows.size(), plan.defaultLayout().model(), latency(plan, plan.defaultLayout()), plan.randomLayout().model(),
                latency(plan, plan.randomLayout()), plan.resnets().isEmpty() ? "none (no block-unit ResNet fits the budget and limits)"
                        : "the best of " + plan.resnets().stream().map(Candidate::model).toList());
        if (!plan.latencyMillis().isEmpty()) {
            o.printf("latency: median of batch-1 runs with ONNX Runtime on %s, after warm-up%n", io.parsimony.nn.engine.Host.current().cpu());
        }
    }

    /** One line per finished training and per stage. */
    private static final class Progress implements Design.Listener {
        private final PrintWriter out;
        private final boolean quiet;

        Progress(PrintWriter out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void stage(String line) {
            say(line);
        }

        @Override
        public void started(PlannedRun run, String worker) {
            if (!quiet && run.roles().startsWith("final")) {
                say(String.format(Locale.ROOT, "  %-8s %s: training", run.roles(), run.model()));
            }
        }

        @Override
        public void finished(PlannedRun run, RunRow row, boolean recorded, int finishedNow, int toRun, double eta) {
            if (quiet) {
                return;
            }
            String fig = !row.done() ? "FAILED: " + row.error()
                    : row.top1() != null ? String.format(Locale.ROOT, "test top-1 %.2f%%", 100 * row.top1())
                    : String.format(Locale.ROOT, "val top-1 %.2f%%", 100 * (row.valTop1() == null ? Double.NaN : row.valTop1()));
            say(String.format(Locale.ROOT, "  [%d/%d] %-8s %-40s %s  %.1f s", finishedNow, toRun, run.roles(), run.model(), fig,
                    row.wallSeconds()));
        }

        private void say(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
