package io.parsimony.experiment.design;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.parsimony.InputException;
import io.parsimony.experiment.design.Comparison.Difference;
import io.parsimony.experiment.design.Comparison.Group;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.sweep.LocalTrainer;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.TrainingRecipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A design: from a budget and a data set to the best trained network. Candidates
 * ({@link DesignSpace}) race through successive-halving rungs ({@link SuccessiveHalving}) fitted to
 * the time budget ({@link RungSchedule}) and are ranked by validation accuracy only; the winner and
 * two baselines are then trained for several seeds and only these final runs read the test split
 * ({@link Comparison}).
 *
 * <p>Every training — the step-time probe, every rung, every final seed — is a run of one
 * results-store "sweep" of kind {@code design}, trained by the sweep's {@link SweepRunner}: each
 * is recorded in its own transaction when it finishes, and a rerun of the same design skips what
 * is recorded, so a design stopped at any moment resumes where it stopped. The schedule is a
 * function of the recorded probe, so it is the same on every rerun. Rungs train from scratch
 * (a rung's run key is its model and its step count), not from the previous rung's checkpoint.
 */
public final class Design {

    /** The kind of results-store sweep under which a design records its trainings. */
    public static final String KIND = ResultStore.DESIGN_KIND;
    /** Steps of the probe that measures step time. */
    static final long PROBE_STEPS = 24;

    /**
     * What a design is: its identity (the store key) is the hash of all of it.
     *
     * @param recipe  the base recipe: optimizer, batch, seed, limits, validation share; epochs and
     *                steps are set per rung from the schedule, and for the final stage by {@code finalEpochs}
     * @param seconds the time budget of the rungs (with {@code finalEpochs} 0, of rungs and final comparison together)
     * @param seeds   seeds of each final network
     * @param rungSteps the first rung's steps, fixed instead of fitted to {@code seconds} (0: fit): the same
     *                schedule on every machine, and no timing probe
     * @param finalEpochs epochs of every final training (0: as long as the last rung, the design's first form)
     * @param finalSchedule {@code cosine} (annealed over the final epochs) or {@code multistep} (×0.1 at 1/2 and 5/6)
     * @param maxMacs  candidates above this many multiply-adds per image are dropped before training (0: no limit)
     * @param maxLatencyMillis candidates whose measured batch-1 latency is above this are dropped (0: no limit)
     */
    public record Settings(DesignSpace space, String data, TrainingRecipe recipe, long seconds, int eta, int seeds,
                           int randomSamples, long rungSteps, int finalEpochs, String finalSchedule, long maxMacs,
                           double maxLatencyMillis) {
        /** Final epochs when none are given: near the plateau of the paper's default layout on MNIST-sized data and CIFAR-10 with crop+flip. */
        public static final int DEFAULT_FINAL_EPOCHS = 30;

        public Settings {
            if (rungSteps < 0) {
                throw new InputException("--rung-steps must be ≥ 0 (0 = fit the rungs to --time), got " + rungSteps);
            }
            new SuccessiveHalving(eta);
            if (seconds < 1) {
                throw new InputException("--time must be positive");
            }
            if (seeds < 1 || seeds > 10) {
                throw new InputException("--seeds must be in 1..10, got " + seeds);
            }
            if (finalEpochs < 0 || finalEpochs > 1000) {
                throw new InputException("--final-epochs must be in 0..1000 (0 = as long as the last rung), got " + finalEpochs);
            }
            finalSchedule = finalSchedule == null ? "cosine" : finalSchedule.strip().toLowerCase(java.util.Locale.ROOT);
            if (!finalSchedule.equals("cosine") && !finalSchedule.equals("multistep")) {
                throw new InputException("--final-schedule must be cosine or multistep, got '" + finalSchedule + "'");
            }
            if (maxMacs < 0) {
                throw new InputException("--max-macs must be ≥ 0 (0 = no limit), got " + maxMacs);
            }
            if (!(maxLatencyMillis >= 0) || Double.isInfinite(maxLatencyMillis)) {
                throw new InputException("--max-latency must be a positive duration (e.g. 2ms), got " + maxLatencyMillis + " ms");
            }
        }

        /** A design whose final comparison trains as long as its last rung, with no device limit (its first form). */
        public Settings(DesignSpace space, String data, TrainingRecipe recipe, long seconds, int eta, int seeds, int randomSamples,
                        long rungSteps) {
            this(space, data, recipe, seconds, eta, seeds, randomSamples, rungSteps, 0, "cosine", 0, 0);
        }

        @JsonIgnore
        public String key() {
            return Hashing.sha256(Hashing.json(this)).substring(0, 16);
        }

        @JsonIgnore
        public String title() {
            return String.format("design, %,d units, %s, %s on %s", space.budgetUnits(),
                    space.families().stream().map(Family::label).sorted().toList(), RungSchedule.human(seconds), data);
        }

        /** The learning-rate schedule of the final stage over {@code finalEpochs}. */
        @JsonIgnore
        public LrSchedule finalLrSchedule() {
            if (finalEpochs == 0) {
                return null;
            }
            if (finalSchedule.equals("cosine")) {
                return LrSchedule.cosine(finalEpochs);
            }
            int half = Math.max(1, Math.round(finalEpochs / 2f)), late = Math.max(half + 1, Math.round(finalEpochs * 5 / 6f));
            return new LrSchedule(LrSchedule.Kind.MULTISTEP, 0, finalEpochs >= 3 ? new int[] {half, late} : new int[] {half}, 0.1);
        }
    }

    /**
     * The field and the baselines, before anything is trained (what {@code --dry-run} shows).
     *
     * @param candidates     what races: every candidate within the limits
     * @param resnets        the block-unit ResNets the budget allows within the limits: the hand-designed baseline is
     *                       the best of them (by the rungs when they raced)
     * @param latencyMillis  measured batch-1 latency by model (empty when no probe was given)
     * @param notes          one line per thing the plan left out, and why
     */
    public record Plan(List<Candidate> candidates, Candidate defaultLayout, Candidate randomLayout, List<Candidate> resnets,
                       Map<String, Double> latencyMillis, List<String> notes) {
        public Plan {
            candidates = List.copyOf(candidates);
            resnets = List.copyOf(resnets);
            latencyMillis = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(latencyMillis));
            notes = List.copyOf(notes);
        }

        /** The same plan racing only the candidates at {@code kept}. */
        Plan racing(List<Integer> kept) {
            return new Plan(kept.stream().map(candidates::get).toList(), defaultLayout, randomLayout, resnets, latencyMillis, notes);
        }
    }

    /** One rung as recorded: its steps, and every entrant's validation accuracy (null: failed or not yet recorded). */
    public record Rung(int number, long steps, List<String> models, List<Double> accuracy, List<String> promoted) {
    }

    /**
     * What a design produced; {@code complete} false when it stopped early (rerun the command to go on).
     *
     * @param resnetLayout   the hand-designed baseline of the final stage (null: the budget allows no block-unit ResNet)
     * @param notes          what the plan and the schedule left out, one line each
     * @param validationFront every candidate's rung-1 validation accuracy against parameters, multiply-adds and latency
     * @param testFront      the finalists' mean test accuracy against the same (null before the final stage)
     * @param deliverable    the network to ship: the finalist of best final validation (null until the final stage is complete)
     */
    public record Outcome(String key, long storeId, List<Candidate> candidates, Candidate defaultLayout, Candidate randomLayout,
                          RungSchedule schedule, List<Rung> rungs, Candidate winner, List<Group> groups,
                          List<Difference> differences, String winnerRunDir, boolean complete, String command,
                          Candidate resnetLayout, FinalStage finalStage, List<String> notes, Map<String, Double> latencyMillis,
                          ParetoFront.Report validationFront, ParetoFront.Report testFront, Deliverable deliverable) {
    }

    /** Progress of a design; every method may be called from the runner's threads. */
    public interface Listener extends SweepRunner.Listener {
        default void stage(String line) {
        }

        /** The winner is fixed (before this, nothing has read the test split). */
        default void winner(Candidate c) {
        }
    }

    private Design() {
    }

    /**
     * The candidates and the baselines of a design, before anything is trained, with no latency
     * measured ({@code --max-latency} then refused); pass it to {@link #run} unchanged.
     */
    public static Plan plan(Settings s) {
        return plan(s, null);
    }

    /**
     * The candidates and the baselines of a design, before anything is trained (what
     * {@code --dry-run} prints): every candidate's batch-1 latency measured by {@code latency}
     * (when given), and the candidates above {@code --max-macs} or {@code --max-latency} left out.
     *
     * @throws InputException if the budget allows no layout for the baselines, or the limits leave no candidate
     */
    public static Plan plan(Settings s, LatencyProbe latency) {
        List<Candidate> field = s.space().candidates();
        Candidate def = s.space().defaultLayout();
        Candidate random = s.space().randomLayout(s.randomSamples(), s.recipe().seed());
        if (def == null || random == null) {
            throw new InputException(String.format("%,d units allow no %d-layer plain layout for the baselines; raise --budget "
                    + "or allow a band with --tolerance", s.space().budgetUnits(), DesignSpace.BASELINE_DEPTH));
        }
        List<Candidate> resnets = s.space().resnet();
        if (s.maxLatencyMillis() > 0 && latency == null) {
            throw new InputException("--max-latency needs latencies measured on this machine, which this caller did not provide; "
                    + "use 'parsimony design', or pass a LatencyProbe to Design.plan");
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        if (latency != null) {
            int size = s.space().imageSize();
            for (List<Candidate> some : List.of(field, List.of(def, random), resnets)) {
                for (Candidate c : some) {
                    millis.computeIfAbsent(c.model(), m -> latency.medianMillis(c.spec(), s.space().channels(), size, size));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        int before = field.size();
        if (s.maxMacs() > 0) {
            List<Candidate> over = field.stream().filter(c -> c.multiplyAdds() > s.maxMacs()).toList();
            if (!over.isEmpty()) {
                notes.add(String.format("--max-macs %,d drops %d of %d candidates (%s multiply-adds per image): %s", s.maxMacs(),
                        over.size(), field.size(), range(over.stream().map(c -> (double) c.multiplyAdds()).toList(), "%,.0f"),
                        names(over)));
                field = field.stream().filter(c -> !over.contains(c)).toList();
            }
            resnets = resnets.stream().filter(c -> c.multiplyAdds() <= s.maxMacs()).toList();
        }
        if (s.maxLatencyMillis() > 0) {
            List<Candidate> over = field.stream().filter(c -> millis.get(c.model()) > s.maxLatencyMillis()).toList();
            if (!over.isEmpty()) {
                notes.add(String.format(java.util.Locale.ROOT, "--max-latency %.3f ms drops %d of %d candidates (%s ms measured): %s",
                        s.maxLatencyMillis(), over.size(), field.size(),
                        range(over.stream().map(c -> millis.get(c.model())).toList(), "%.3f"), names(over)));
                field = field.stream().filter(c -> !over.contains(c)).toList();
            }
            resnets = resnets.stream().filter(c -> millis.get(c.model()) <= s.maxLatencyMillis()).toList();
        }
        if (field.isEmpty()) {
            throw new InputException(String.format("the limits leave none of the %d candidates (%s); raise --max-macs or "
                    + "--max-latency (the dry run lists every candidate's multiply-adds and latency)", before,
                    String.join("; ", notes)));
        }
        return new Plan(field, def, random, resnets, millis, notes);
    }

    static String range(List<Double> values, String format) {
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String l = String.format(java.util.Locale.ROOT, format, lo), h = String.format(java.util.Locale.ROOT, format, hi);
        return l.equals(h) ? l : l + " to " + h;
    }

    /** The models of {@code cs}, the first few by name: a line, not a table. */
    static String names(List<Candidate> cs) {
        List<String> m = cs.stream().map(Candidate::model).toList();
        return m.size() <= 4 ? String.join(", ", m) : String.join(", ", m.subList(0, 3)) + " and " + (m.size() - 3) + " more";
    }

    /**
     * Runs (or resumes) the design.
     *
     * @param test the test split, asked for only once the winner is fixed
     */
    public static Outcome run(Settings s, Plan plan, Path storeFile, Path runsDir, String command, SweepRunner.Options options,
                              ImageSet train, Supplier<ImageSet> test, Listener listener) {
        return run(s, plan, StoreLocation.of(storeFile), runsDir, command, options, train, test, listener);
    }

    /**
     * As above, on an SQLite file or a PostgreSQL database ({@code --store}). With several workers
     * the rungs are raced asynchronously ({@link AsyncHalving}): a candidate is promoted as soon as
     * the results so far put it in its rung's top 1/η, so no worker waits for a rung to finish.
     */
    public static Outcome run(Settings s, Plan plan, StoreLocation where, Path runsDir, String command, SweepRunner.Options options,
                              ImageSet train, Supplier<ImageSet> test, Listener listener) {
        return run(s, plan, where, runsDir, command, options, train, test, listener, options.workers() > 1);
    }

    static Outcome run(Settings s, Plan plan, StoreLocation where, Path runsDir, String command, SweepRunner.Options options,
                       ImageSet train, Supplier<ImageSet> test, Listener listener, boolean asynchronous) {
        Path runs = runsDir != null ? runsDir : ResultStore.sibling(where.anchor(), "-runs");
        LocalTrainer local = new LocalTrainer().preload(s.data(), train, test);
        try (ResultStore store = ResultStore.open(where)) {
            long id = store.upsertSweep(s.key(), KIND, s.title(), Hashing.json(s), plan.candidates().size(), command,
                    runs.toString(), Software.describe());
            return new DesignRace(s, plan, store, id, runs, local, command, options, train, listener).run(asynchronous);
        }
    }

    /** Images a first rung must train on before its ranking means something (128 steps at batch 128). */
    public static final long FIRST_RUNG_IMAGES = 16_384;

    /** The first rung's floor in optimizer steps of this recipe's batch. */
    static long firstRungFloor(TrainingRecipe base) {
        return (FIRST_RUNG_IMAGES + base.batchSize() - 1) / base.batchSize();
    }

    /** Optimizer steps of one epoch of the base recipe on {@code trainImages} (less the validation share). */
    static long stepsPerEpoch(TrainingRecipe base, int trainImages) {
        int images = base.trainLimit() > 0 ? Math.min(base.trainLimit(), trainImages) : trainImages;
        return Math.max(1, (long) Math.ceil(images * (1 - base.validationFraction()) / base.batchSize()));
    }

    /**
     * Writes {@code design.json} (settings, candidates, rungs, promotions, final table, the
     * command that reruns it) and the HTML report {@code design.html} into {@code dir}; returns both.
     */
    public static List<Path> write(Path dir, Settings s, Outcome o) {
        try {
            java.nio.file.Files.createDirectories(dir);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("settings", s);
            doc.put("outcome", o);
            Path json = dir.resolve("design.json"), html = dir.resolve("design.html");
            java.nio.file.Files.writeString(json, io.parsimony.nn.train.TrainingJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(doc));
            java.nio.file.Files.writeString(html, DesignReport.render(s, o));
            return List.of(json, html);
        } catch (java.io.IOException e) {
            throw new InputException("cannot write the design's files to " + dir + ": " + e.getMessage() + "; give another --out");
        }
    }

    /**
     * The base recipe cut to {@code steps} optimizer steps: as many epochs as they span, the
     * learning rate divided by 10 halfway (constant for a run within one epoch).
     */
    static TrainingRecipe rungRecipe(TrainingRecipe base, long steps, int trainImages) {
        long perEpoch = stepsPerEpoch(base, trainImages);
        int epochs = (int) Math.max(1, (steps + perEpoch - 1) / perEpoch);
        LrSchedule schedule = epochs >= 2 ? new LrSchedule(LrSchedule.Kind.STEP, (epochs + 1) / 2, new int[0], 0.1)
                : LrSchedule.CONSTANT;
        return new TrainingRecipe(base.optimizer(), base.lr(), base.momentum(), base.weightDecay(), schedule, base.batchSize(),
                epochs, base.seed(), base.augmentation(), base.validationFraction(), base.trainLimit(), base.testLimit(),
                base.device(), steps);
    }
}
