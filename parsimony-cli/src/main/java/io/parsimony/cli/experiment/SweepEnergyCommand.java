package io.parsimony.cli.experiment;

import io.parsimony.cli.options.BudgetOptions;
import io.parsimony.cli.options.LayersOption;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.sweep.EnergySweep;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.sweep.RerunCommand;
import io.parsimony.experiment.sweep.SweepPlan;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.experiment.sweep.SweepSession;
import io.parsimony.experiment.sweep.WorkerPlan;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.ProgressBarListener;
import io.parsimony.nn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Seed 001's Figs. 3–5: a seeded uniform sample of feasible layouts plus the top-k energy
 * layouts, trained with one recipe, every run recorded in a results store. Re-running the same
 * command skips the finished runs and resumes the one that was in flight.
 */
@Command(name = "energy", mixinStandardHelpOptions = true,
        description = {"Train random feasible layouts and the top-k energy layouts of one budget with the same recipe "
                + "(seed 001, Figs. 3-5); record every run in a results store (SQLite or PostgreSQL); rerun to resume.",
                "Without --budget/--layers: 4,288 units over 4 conv layers (Fig. 3 of seed 001).",
                "CPU: keep workers x threads <= cores (default threads = cores / workers). "
                        + "GPU: --device gpu, one worker per GPU (--gpus 0,1), --threads 2."})
public final class SweepEnergyCommand implements Callable<Integer> {

    /** Seed 001's Fig. 3: 4,288 units over 4 conv layers. */
    static final long DEFAULT_BUDGET = 4288;
    static final int DEFAULT_LAYERS = 4;

    @Mixin
    LayersOption layers;

    @Mixin
    BudgetOptions space;

    @Option(names = "--repeats", split = ",", paramLabel = "R1,R2,..",
            description = "Block-unit ResNets (Table 4 / Fig. 5): conv layers per unit, e.g. 1,10,10,10.")
    int[] repeats;


    @Option(names = "--samples", defaultValue = "32", paramLabel = "M",
            description = "Random feasible layouts, drawn uniformly (default: ${DEFAULT-VALUE}, the paper's).")
    int samples;

    @Option(names = "--top", defaultValue = "6", paramLabel = "K",
            description = "Layouts of highest energy (default: ${DEFAULT-VALUE}, Table 5).")
    int top;

    @Option(names = "--sample-seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the random draw (default: ${DEFAULT-VALUE}); --seed seeds the training.")
    long sampleSeed;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipe;

    @Option(names = "--store", defaultValue = "runs/results.sqlite", paramLabel = "FILE|URL", converter = StoreConverter.class,
            description = "Results store, created if absent: " + StoreConverter.HELP + " (default: ${DEFAULT-VALUE}).")
    StoreLocation store;

    @Option(names = "--queue-only", description = "Define the sweep and queue its runs for 'parsimony worker' processes "
            + "(other machines too); train nothing here.")
    boolean queueOnly;

    @Option(names = "--runs", paramLabel = "DIR",
            description = "Run directories with checkpoints (default: next to the store, <store name>-runs/).")
    Path runs;

    @Mixin
    WorkerOptions workers;

    @Option(names = "--gpus", split = ",", paramLabel = "ID,..",
            description = "With --device gpu: CUDA devices dealt round-robin to the workers (CUDA_VISIBLE_DEVICES).")
    List<String> gpus;

    @Option(names = "--worker-processes", description = "Train in worker processes even with --workers 1.")
    boolean workerProcesses;

    @Option(names = "--retry-failed", description = "Train again the runs this sweep recorded as failed.")
    boolean retryFailed;

    @Option(names = "--dry-run", description = "Print the plan (layouts, energies, what is already done) and stop.")
    boolean dryRun;

    @Option(names = "--plot", paramLabel = "PREFIX",
            description = "Write the scatter to PREFIX.png and PREFIX.svg (default: <store name>-sweep<ID>-energy).")
    Path plot;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars or epoch lines (per-run lines stay).")
    boolean quiet;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int depth = layers.layersOr(repeats != null ? repeats.length : DEFAULT_LAYERS);
        WorkerPlan machine = workers.plan(gpus, workerProcesses);
        EnergySweep sweep = new EnergySweep(space.unitsOr(DEFAULT_BUDGET), depth, repeats, space.orderName(), space.tolerance(), samples, sampleSeed, top, data.name(),
                recipe.recipe());
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        SweepPlan plan = SweepPlan.of(sweep, train);
        PrintWriter out = spec.commandLine().getOut();
        if (plan.drawExhausted()) {
            (output.json() ? spec.commandLine().getErr() : out).printf(
                    "note: only %d feasible layouts exist for this budget; the random group is all of them%n", plan.drawn());
        }
        if (dryRun) {
            printPlan(out, plan);
            return 0;
        }
        machine.applyToThisJvm();
        String command = RerunCommand.of(Path.of(""), List.of("sweep", "energy"),
                spec.commandLine().getParseResult().originalArgs());
        try (SweepSession session = SweepSession.open(plan, store, runs, command)) {
            long id = session.id();
            if (queueOnly) {
                int added = session.enqueue();
                out.printf("sweep %d: %s%nqueued %d new runs of %d in %s; start workers with: parsimony worker --store %s%n", id,
                        sweep.title(), added, plan.size(), store, RerunCommand.quote(store.toString()));
                out.flush();
                return 0;
            }
            PrintWriter log = output.json() ? spec.commandLine().getErr() : out;
            log.printf("sweep %d: %s%n", id, sweep.title());
            log.printf("store %s, run directories in %s%n", store, session.runsDir());
            log.printf("plan: %d runs (%d top-energy, %d random, %d in both)%s%n", plan.size(), plan.tops(), plan.random(),
                    plan.both(), machine.describe());
            log.flush();
            SweepRunner.Options opts = machine.options(SweepWorkerCommand.MAIN, retryFailed,
                    label -> quiet ? TrainingListener.SILENT : new ProgressBarListener(label, System.err));
            SweepRunner.Summary sum = session.run(opts, train, test, new Progress(log, quiet));
            SweepSession.Results done = session.results(plot);
            List<Path> plots = done.plots();
            String reportCmd = "parsimony report " + RerunCommand.quote(store.toString());
            if (output.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("sweep", id);
                doc.put("store", store.toString());
                doc.put("summary", sum);
                doc.put("analysis", done.results().analysis());
                doc.put("plots", plots.stream().map(Path::toString).toList());
                Output.writeJson(out, doc);
            } else {
                out.printf("this invocation: %d trained, %d failed, %d already done, %d recorded meanwhile by another process, "
                        + "in %s%n", sum.trained(), sum.failed(), sum.alreadyDone(), sum.recordedElsewhere(), duration(sum.wallSeconds()));
                if (sum.alreadyFailed() > 0) {
                    out.printf("%d runs were recorded as failed before and were not retried (add --retry-failed)%n", sum.alreadyFailed());
                }
                out.println(done.results().headline());
                if (!plots.isEmpty()) {
                    out.println("plot: " + plots.get(0) + ", " + plots.get(1));
                }
                out.println("report: " + reportCmd);
            }
            if (sum.busyElsewhere() > 0) {
                log.printf("%d runs are being trained by another sweep process on this store; run this command again later to "
                        + "include them%n", sum.busyElsewhere());
            }
            if (sum.unfinished() > 0) {
                log.printf("%d runs did not finish (their worker process died twice); run this command again to retry them%n",
                        sum.unfinished());
                log.flush();
                return 1;
            }
            log.flush();
            return 0;
        }
    }

    /** Prints run lines on stdout and worker progress on stderr (unless quiet). */
    private static final class Progress implements SweepRunner.Listener {
        private final PrintWriter out;
        private final boolean quiet;

        Progress(PrintWriter out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void planned(int total, int done, int failed, int toRun) {
            say(String.format("%d of %d runs already done%s; %d to train", done, total,
                    failed > 0 ? ", " + failed + " failed before" : "", toRun));
        }

        @Override
        public void started(PlannedRun run, String worker) {
            if (!quiet) {
                err(String.format("%s: start %s (%s, energy %.2f)", worker, run.spec().describe(), run.roles(), run.energy()));
            }
        }

        @Override
        public void progress(String worker, String line) {
            if (!quiet) {
                err(worker + ": " + line);
            }
        }

        @Override
        public void workerOutput(String worker, String line) {
            if (!quiet && !line.contains(" INFO ")) {
                err(worker + "! " + line);
            }
        }

        @Override
        public void finished(PlannedRun run, RunRow row, boolean recorded, int finishedNow, int toRun, double eta) {
            String head = String.format("[%" + String.valueOf(toRun).length() + "d/%d] %-24s %-10s energy %8.2f", finishedNow,
                    toRun, run.layout().toString(), run.roles(), run.energy());
            String body = !row.done() ? "FAILED: " + row.error()
                    : String.format("top-1 %6.2f%%  top-5 %6.2f%%  %6.1f s%s", 100 * row.top1(), 100 * row.top5(), row.wallSeconds(),
                    row.resumed() ? " (resumed)" : "");
            String tail = (recorded ? "" : "  (already recorded by another process)") + "  " + row.worker()
                    + (finishedNow < toRun ? "  ETA " + duration(eta) : "");
            say(head + "  " + body + tail);
        }

        @Override
        public void skipped(PlannedRun run, String reason) {
            say(String.format("skip %s: %s", run.layout(), reason));
        }

        @Override
        public void workerDied(String worker, PlannedRun run, String message) {
            say(String.format("%s died while training %s: %s", worker, run.layout(), message));
        }

        private void say(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        private static void err(String line) {
            synchronized (System.err) {
                System.err.println(line);
                System.err.flush();
            }
        }
    }

    private void printPlan(PrintWriter out, SweepPlan plan) {
        EnergySweep sweep = plan.sweep();
        Map<String, String> st = plan.statuses(store);
        if (output.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PlannedRun p : plan.runs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("layout", p.layout().widths());
                m.put("roles", p.roles());
                m.put("energy", p.energy());
                m.put("convWeights", p.convWeights());
                m.put("model", p.model());
                m.put("runKey", p.runKey());
                m.put("status", st.getOrDefault(p.runKey(), "todo"));
                rows.add(m);
            }
            Output.writeJson(out, Map.of("sweepKey", sweep.key(), "title", sweep.title(), "runs", rows));
            return;
        }
        out.println(sweep.title() + " (sweep key " + sweep.key() + ")");
        Output.writeTable(out, plan.runs(),
                Col.right("#", p -> String.valueOf(p.position() + 1)),
                Col.left("layout", p -> p.layout().toString()),
                Col.left("group", PlannedRun::roles),
                Col.right("energy", p -> Output.fixed(p.energy(), 2)),
                Col.right("conv weights", p -> Output.thousands(p.convWeights())),
                Col.left("status", p -> st.getOrDefault(p.runKey(), "todo")));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
