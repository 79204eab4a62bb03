package io.parsimony.experiment.design;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.parsimony.InputException;
import io.parsimony.experiment.design.Comparison.Difference;
import io.parsimony.experiment.design.Comparison.Group;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.sweep.LocalTrainer;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.TrainingRecipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
     */
    public record Outcome(String key, long storeId, List<Candidate> candidates, Candidate defaultLayout, Candidate randomLayout,
                          RungSchedule schedule, List<Rung> rungs, Candidate winner, List<Group> groups,
                          List<Difference> differences, String winnerRunDir, boolean complete, String command,
                          Candidate resnetLayout, FinalStage finalStage, List<String> notes, Map<String, Double> latencyMillis,
                          ParetoFront.Report validationFront, ParetoFront.Report testFront) {
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

    private static String range(List<Double> values, String format) {
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String l = String.format(java.util.Locale.ROOT, format, lo), h = String.format(java.util.Locale.ROOT, format, hi);
        return l.equals(h) ? l : l + " to " + h;
    }

    /** The models of {@code cs}, the first few by name: a line, not a table. */
    private static String names(List<Candidate> cs) {
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
        SuccessiveHalving sh = new SuccessiveHalving(s.eta());
        Path runs = runsDir != null ? runsDir : ResultStore.sibling(where.anchor(), "-runs");
        LocalTrainer local = new LocalTrainer().preload(s.data(), train, test);
        List<String> notes = new ArrayList<>(plan.notes());
        try (ResultStore store = ResultStore.open(where)) {
            long id = store.upsertSweep(s.key(), KIND, s.title(), Hashing.json(s), plan.candidates().size(), command,
                    runs.toString(), Software.describe());
            Map<String, TrainingRecipe> recipes = new java.util.concurrent.ConcurrentHashMap<>();
            Function<PlannedRun, TrainingRecipe> recipeOf = r -> recipes.get(r.runKey());
            SweepRunner validating = new SweepRunner(s.data(), recipeOf, true, id, store, runs, local);
            int finalNetworks = 3 + (plan.resnets().isEmpty() ? 0 : 1);

            Plan racing = plan;
            RungSchedule schedule = s.rungSteps() > 0
                    ? RungSchedule.fixed(sh, plan.candidates().size(), s.rungSteps(), finalNetworks, s.seeds())
                    : null;
            double[] timing = null;   // {seconds per step of the probe, overhead per training}
            if (schedule == null) {
                // 1. the probe: measured step time and per-training overhead
                TrainingRecipe probeRecipe = rungRecipe(s.recipe(), PROBE_STEPS, train.size());
                PlannedRun probe = planned(plan.defaultLayout(), "probe", 0, probeRecipe, s.data(), recipes);
                listener.stage("probe: timing " + PROBE_STEPS + " steps of " + plan.defaultLayout().model());
                if (options.launcher() == null) {
                    ai.djl.engine.Engine.getInstance();   // load the engine first: its start-up is not a per-training cost
                }
                if (!trainAll(validating, List.of(probe), options, listener, store, id)) {
                    return stopped(s, plan, id, null, List.of(), command, notes);
                }
                RunRow p = row(store, id, probe.runKey());
                if (p == null || !p.done() || p.steps() == null || p.steps() == 0) {
                    throw new InputException("the timing probe failed" + (p == null ? "" : ": " + p.error())
                            + "; check the data set and the recipe with 'parsimony train'");
                }
                timing = new double[] {p.trainSeconds() / p.steps(), Math.max(0, p.wallSeconds() - p.trainSeconds())};
                List<Long> finalMacs = s.finalEpochs() > 0 ? List.of()
                        : finalists(plan, plan.defaultLayout()).stream().map(Candidate::multiplyAdds).toList();
                long floor = firstRungFloor(s.recipe());
                RungSchedule.Fit fit = RungSchedule.fitWithFloor(s.seconds(), sh, timing[0], plan.defaultLayout().multiplyAdds(),
                        timing[1], plan.candidates().stream().map(Candidate::multiplyAdds).toList(), finalMacs, s.seeds(), floor);
                schedule = fit.schedule();
                if (!fit.dropped().isEmpty()) {
                    List<Candidate> out = fit.dropped().stream().map(plan.candidates()::get).toList();
                    String line = String.format("--time %s affords a first rung of %d steps (%,d images, the floor below which "
                                    + "rankings are noise) for %d of %d candidates: left out the %d most expensive (%s multiply-adds): %s",
                            RungSchedule.human(s.seconds()), floor, floor * s.recipe().batchSize(), fit.kept().size(),
                            plan.candidates().size(), out.size(), range(out.stream().map(c -> (double) c.multiplyAdds()).toList(),
                                    "%,.0f"), names(out));
                    notes.add(line);
                    racing = plan.racing(fit.kept());
                }
            }
            notes.forEach(listener::stage);
            listener.stage(String.format("schedule: %d candidates, rungs %s of %s steps; about %s", racing.candidates().size(),
                    schedule.rungSizes(), schedule.rungSteps(), Double.isNaN(schedule.estimatedSeconds()) ? "(not timed)"
                            : RungSchedule.human(schedule.estimatedSeconds())));
            if (s.finalEpochs() > 0) {
                Double est = timing == null ? null : FinalStage.estimatedSeconds(s, racing, null, plan.resnets().isEmpty() ? null
                        : plan.resnets().get(0), timing, train.size(), Map.of());
                listener.stage(String.format("then the final stage: %d networks x %d seeds x %d epochs (%s)%s, not counted in --time",
                        finalNetworks, s.seeds(), s.finalEpochs(), s.finalSchedule(),
                        est == null ? "" : ", about " + RungSchedule.human(est)));
            }

            // 2. the rungs, ranked by validation accuracy
            List<Integer> field = new ArrayList<>();
            List<Rung> rungs = new ArrayList<>();
            if (asynchronous) {
                Integer w = asyncRungs(s, racing, schedule, sh, validating, options, listener, store, id, train.size(), recipes, rungs);
                if (w == null) {
                    return stopped(s, plan, id, schedule, rungs, command, notes);
                }
                field = List.of(w);
            }
            if (!asynchronous) {
                for (int i = 0; i < racing.candidates().size(); i++) {
                    field.add(i);
                }
                for (int k = 0; k < schedule.rungSizes().size(); k++) {
                    long steps = schedule.rungSteps().get(k);
                    TrainingRecipe r = rungRecipe(s.recipe(), steps, train.size());
                    List<PlannedRun> entrants = new ArrayList<>();
                    for (int c : field) {
                        entrants.add(planned(racing.candidates().get(c), "rung" + (k + 1), (k + 1) * 10_000 + c, r, s.data(), recipes));
                    }
                    listener.stage(String.format("rung %d: %d candidates x %d steps", k + 1, entrants.size(), steps));
                    boolean complete = trainAll(validating, entrants, options, listener, store, id);
                    List<SuccessiveHalving.Score> scores = new ArrayList<>();
                    List<Double> acc = new ArrayList<>();
                    for (int j = 0; j < field.size(); j++) {
                        RunRow row = row(store, id, entrants.get(j).runKey());
                        Double a = row != null && row.done() ? row.valTop1() : null;
                        acc.add(a);
                        scores.add(new SuccessiveHalving.Score(field.get(j), a));
                    }
                    if (!complete) {
                        rungs.add(new Rung(k + 1, steps, models(racing, field), acc, List.of()));
                        return stopped(s, plan, id, schedule, rungs, command, notes);
                    }
                    field = sh.promote(scores);
                    rungs.add(new Rung(k + 1, steps, models(racing, scores.stream().map(SuccessiveHalving.Score::candidate).toList()),
                            acc, models(racing, field)));
                }
            }
            Candidate winner = racing.candidates().get(field.get(0));
            listener.winner(winner);
            listener.stage("winner: " + winner.model());

            // 3. the final comparison: the only runs that read the test split
            Candidate resnet = FinalStage.handDesigned(plan.resnets(), rungs);
            TrainingRecipe finalBase = FinalStage.recipe(s, schedule, train.size());
            Map<String, String> rolesByModel = new LinkedHashMap<>();
            Map<String, Candidate> byModel = new LinkedHashMap<>();
            List<Candidate> finalists = new ArrayList<>(List.of(winner, plan.defaultLayout(), plan.randomLayout()));
            List<String> roles = new ArrayList<>(List.of("winner", "default", "random"));
            if (resnet != null) {
                finalists.add(resnet);
                roles.add("resnet");
            }
            for (int i = 0; i < finalists.size(); i++) {
                rolesByModel.merge(finalists.get(i).model(), roles.get(i), (a, b) -> a + "-" + b);
                byModel.putIfAbsent(finalists.get(i).model(), finalists.get(i));
            }
            List<PlannedRun> finals = new ArrayList<>();
            Map<String, List<String>> keysByModel = new LinkedHashMap<>();
            int pos = 900_000;
            // seed by seed, so that a stopped final stage already compares every finalist on its first seeds
            for (int seed = 0; seed < s.seeds(); seed++) {
                for (Candidate c : byModel.values()) {
                    PlannedRun f = planned(c, "final-" + rolesByModel.get(c.model()), pos++,
                            finalBase.withSeed(s.recipe().seed() + seed), s.data(), recipes);
                    finals.add(f);
                    keysByModel.computeIfAbsent(c.model(), m -> new ArrayList<>()).add(f.runKey());
                }
            }
            Double finalEstimate = timing == null ? null : FinalStage.estimatedSeconds(s, racing, winner, resnet, timing, train.size(),
                    FinalStage.measuredSteps(store.runs(id)));
            FinalStage stage = new FinalStage(byModel.size(), s.seeds(), s.finalEpochs(),
                    String.valueOf(finalBase.schedule()),
                    s.finalEpochs() > 0 ? s.finalEpochs() * stepsPerEpoch(s.recipe(), train.size()) : schedule.finalSteps(),
                    finalEstimate);
            listener.stage(String.format("final: %d networks (%s) x %d seeds x %s%s, then the test split", byModel.size(),
                    String.join(", ", rolesByModel.values()), s.seeds(), s.finalEpochs() > 0
                            ? s.finalEpochs() + " epochs (" + finalBase.schedule() + ")" : schedule.finalSteps() + " steps",
                    finalEstimate == null ? "" : ", about " + RungSchedule.human(finalEstimate)
                            + (s.finalEpochs() > 0 ? " (not counted in --time)" : "")));
            SweepRunner testing = new SweepRunner(s.data(), recipeOf, false, id, store, runs, local);
            boolean complete = trainAll(testing, finals, options, listener, store, id);
            List<Group> groups = new ArrayList<>();
            String winnerDir = null;
            for (Candidate c : byModel.values()) {
                List<Double> top1 = new ArrayList<>();
                for (String key : keysByModel.get(c.model())) {
                    RunRow row = row(store, id, key);
                    if (row != null && row.done() && row.top1() != null) {
                        top1.add(row.top1());
                        if (c == winner && winnerDir == null) {
                            winnerDir = row.runDir();
                        }
                    }
                }
                groups.add(Group.of(rolesByModel.get(c.model()), c.model(), top1));
            }
            List<Difference> diffs = new ArrayList<>();
            Group w = groups.get(0);
            for (Group g : groups.subList(1, groups.size())) {
                diffs.add(Comparison.difference(w, g));
            }
            ParetoFront.Report testFront = Fronts.test(s, plan, groups, byModel, winner);
            return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), schedule, rungs,
                    winner, groups, diffs, winnerDir, complete, command, resnet, stage, notes, plan.latencyMillis(),
                    Fronts.validation(s, plan, rungs, winner), testFront);
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
     * The rungs raced asynchronously; fills {@code rungs} and returns the winner's index, or null
     * when the design stopped first. A rerun replays the recorded results in the order they
     * finished, so it promotes what the stopped run had promoted, and trains only what is missing.
     */
    private static Integer asyncRungs(Settings s, Plan plan, RungSchedule schedule, SuccessiveHalving sh, SweepRunner runner,
                                      SweepRunner.Options options, Listener listener, ResultStore store, long id, int trainImages,
                                      Map<String, TrainingRecipe> recipes, List<Rung> rungs) {
        int n = plan.candidates().size();
        AsyncHalving ah = new AsyncHalving(sh, schedule.rungSizes());
        List<TrainingRecipe> rungRecipes = schedule.rungSteps().stream().map(st -> rungRecipe(s.recipe(), st, trainImages)).toList();
        Map<String, int[]> slots = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.BiFunction<Integer, Integer, PlannedRun> entrant = (k, c) -> {
            PlannedRun r = planned(plan.candidates().get(c), "rung" + (k + 1), (k + 1) * 10_000 + c, rungRecipes.get(k), s.data(),
                    recipes);
            slots.put(r.runKey(), new int[] {k, c});
            return r;
        };
        Map<String, RunRow> recorded = new HashMap<>();
        store.runs(id).forEach(r -> recorded.put(r.runKey(), r));
        List<PlannedRun> pending = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            pending.add(entrant.apply(0, c));
        }
        while (true) {   // replay: the earliest-finished recorded entrant first
            PlannedRun next = pending.stream().filter(r -> recorded.containsKey(r.runKey()))
                    .min(java.util.Comparator.comparing((PlannedRun r) -> String.valueOf(recorded.get(r.runKey()).finishedAt()))
                            .thenComparingInt(PlannedRun::position)).orElse(null);
            if (next == null) {
                break;
            }
            pending.remove(next);
            pending.addAll(promoted(ah, slots.get(next.runKey()), recorded.get(next.runKey()), entrant));
        }
        listener.stage(String.format("rungs %s, asynchronous: %d candidates x %s steps; a candidate moves up as soon as it is "
                + "in the top 1/%d of its rung so far", schedule.rungSizes(), n, schedule.rungSteps(), s.eta()));
        runner.run(pending, options, listener, (run, row) -> {
            int[] kc = slots.get(run.runKey());
            return kc == null ? List.of() : promoted(ah, kc, row, entrant);
        });
        for (int k = 0; k < ah.rungs(); k++) {
            List<Integer> in = ah.entrants(k, n);
            List<Double> acc = new ArrayList<>();
            for (int c : in) {
                acc.add(ah.accuracy(k, c));
            }
            rungs.add(new Rung(k + 1, schedule.rungSteps().get(k), models(plan, in), acc, models(plan, ah.promotedFrom(k))));
        }
        return ah.winner();
    }

    /** Records one rung result and returns the runs it promotes into the next rung (none from the last). */
    private static List<PlannedRun> promoted(AsyncHalving ah, int[] rungAndCandidate, RunRow row,
                                             java.util.function.BiFunction<Integer, Integer, PlannedRun> entrant) {
        int k = rungAndCandidate[0];
        List<Integer> up = ah.record(k, rungAndCandidate[1], row.done() ? row.valTop1() : null);
        return k + 1 >= ah.rungs() ? List.of() : up.stream().map(c -> entrant.apply(k + 1, c)).toList();
    }

    /**
     * Trains what the store lacks of {@code runs}; true when every one of them is now recorded
     * (a stopped runner, a run left to another process or a dead worker leave some unrecorded).
     */
    private static boolean trainAll(SweepRunner runner, List<PlannedRun> runs, SweepRunner.Options options, Listener listener,
                                    ResultStore store, long id) {
        runner.run(runs, options, listener);
        Map<String, String> status = store.statuses(id);
        return runs.stream().allMatch(r -> status.containsKey(r.runKey()));
    }

    private static Outcome stopped(Settings s, Plan plan, long id, RungSchedule schedule, List<Rung> rungs, String command,
                                   List<String> notes) {
        return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), schedule, rungs, null,
                List.of(), List.of(), null, false, command, null, null, notes, plan.latencyMillis(),
                Fronts.validation(s, plan, rungs, null), null);
    }

    /** The distinct networks of the final comparison for a given winner (for the time plan: the winner is not known yet). */
    private static List<Candidate> finalists(Plan plan, Candidate winner) {
        return List.of(winner, plan.defaultLayout(), plan.randomLayout());
    }

    private static List<String> models(Plan plan, List<Integer> indices) {
        return indices.stream().map(i -> plan.candidates().get(i).model()).toList();
    }

    private static RunRow row(ResultStore store, long id, String runKey) {
        return store.runs(id).stream().filter(r -> r.runKey().equals(runKey)).findFirst().orElse(null);
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

    private static PlannedRun planned(Candidate c, String role, int position, TrainingRecipe recipe, String data,
                                      Map<String, TrainingRecipe> recipes) {
        // a tested run is another run than a validation-only one of the same model and recipe (the winner's last rung)
        boolean tested = role.startsWith("final");
        String key = Hashing.sha256(Hashing.json(c.spec()) + "|" + data + "|" + Hashing.json(recipe) + (tested ? "|test" : ""))
                .substring(0, 16);
        recipes.put(key, recipe);
        return new PlannedRun(position, new Layout(DesignSpace.convWidths(c.spec() instanceof io.parsimony.nn.model.RescaledSpec r
                ? r.scaled() : c.spec())), role, c.energy(), c.convWeights(), c.spec(), c.model(), key);
    }
}
