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
     *                steps are set per rung from the schedule
     * @param seconds the time budget of rungs and final comparison together
     * @param seeds   seeds of each final network
     * @param rungSteps the first rung's steps, fixed instead of fitted to {@code seconds} (0: fit): the same
     *                schedule on every machine, and no timing probe
     */
    public record Settings(DesignSpace space, String data, TrainingRecipe recipe, long seconds, int eta, int seeds,
                           int randomSamples, long rungSteps) {
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
    }

    /** The field and the baselines, before anything is trained (what {@code --dry-run} shows). */
    public record Plan(List<Candidate> candidates, Candidate defaultLayout, Candidate randomLayout) {
    }

    /** One rung as recorded: its steps, and every entrant's validation accuracy (null: failed or not yet recorded). */
    public record Rung(int number, long steps, List<String> models, List<Double> accuracy, List<String> promoted) {
    }

    /** What a design produced; {@code complete} false when it stopped early (rerun the command to go on). */
    public record Outcome(String key, long storeId, List<Candidate> candidates, Candidate defaultLayout, Candidate randomLayout,
                          RungSchedule schedule, List<Rung> rungs, Candidate winner, List<Group> groups,
                          List<Difference> differences, String winnerRunDir, boolean complete, String command) {
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
     * The candidates and the two baselines of a design, before anything is trained (what
     * {@code --dry-run} prints); pass it to {@link #run} unchanged.
     *
     * @throws InputException if the budget allows no layout for the baselines
     */
    public static Plan plan(Settings s) {
        List<Candidate> field = s.space().candidates();
        Candidate def = s.space().defaultLayout();
        Candidate random = s.space().randomLayout(s.randomSamples(), s.recipe().seed());
        if (def == null || random == null) {
            throw new InputException(String.format("%,d units allow no %d-layer plain layout for the baselines; raise --budget "
                    + "or allow a band with --tolerance", s.space().budgetUnits(), DesignSpace.BASELINE_DEPTH));
        }
        return new Plan(field, def, random);
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
        try (ResultStore store = ResultStore.open(where)) {
            long id = store.upsertSweep(s.key(), KIND, s.title(), Hashing.json(s), plan.candidates().size(), command,
                    runs.toString(), Software.describe());
            Map<String, TrainingRecipe> recipes = new java.util.concurrent.ConcurrentHashMap<>();
            Function<PlannedRun, TrainingRecipe> recipeOf = r -> recipes.get(r.runKey());
            SweepRunner validating = new SweepRunner(s.data(), recipeOf, true, id, store, runs, local);

            RungSchedule schedule = s.rungSteps() > 0
                    ? RungSchedule.fixed(sh, plan.candidates().size(), s.rungSteps(), 3, s.seeds())
                    : null;
            if (schedule == null) {
            // 1. the probe: measured step time and per-training overhead
            TrainingRecipe probeRecipe = rungRecipe(s.recipe(), PROBE_STEPS, train.size());
            PlannedRun probe = planned(plan.defaultLayout(), "probe", 0, probeRecipe, s.data(), recipes);
            listener.stage("probe: timing " + PROBE_STEPS + " steps of " + plan.defaultLayout().model());
            if (options.launcher() == null) {
                ai.djl.engine.Engine.getInstance();   // load the engine first: its start-up is not a per-training cost
            }
            if (!trainAll(validating, List.of(probe), options, listener, store, id)) {
                return stopped(s, plan, id, null, List.of(), command);
            }
            RunRow p = row(store, id, probe.runKey());
            if (p == null || !p.done() || p.steps() == null || p.steps() == 0) {
                throw new InputException("the timing probe failed" + (p == null ? "" : ": " + p.error())
                        + "; check the data set and the recipe with 'parsimony train'");
            }
            double stepSeconds = p.trainSeconds() / p.steps();
            double overhead = Math.max(0, p.wallSeconds() - p.trainSeconds());
            schedule = RungSchedule.fit(s.seconds(), sh, stepSeconds, plan.defaultLayout().multiplyAdds(), overhead,
                    plan.candidates().stream().map(Candidate::multiplyAdds).toList(),
                    finalists(plan, plan.defaultLayout()).stream().map(Candidate::multiplyAdds).toList(), s.seeds());
            }
            listener.stage(String.format("schedule: %d candidates, rungs %s of %s steps, final %d x %d steps; about %s",
                    plan.candidates().size(), schedule.rungSizes(), schedule.rungSteps(), schedule.finalRuns(),
                    schedule.finalSteps(), RungSchedule.human(schedule.estimatedSeconds())));

            // 2. the rungs, ranked by validation accuracy
            List<Integer> field = new ArrayList<>();
            List<Rung> rungs = new ArrayList<>();
            if (asynchronous) {
                Integer w = asyncRungs(s, plan, schedule, sh, validating, options, listener, store, id, train.size(), recipes, rungs);
                if (w == null) {
                    return stopped(s, plan, id, schedule, rungs, command);
                }
                field = List.of(w);
            }
            if (!asynchronous) {
            for (int i = 0; i < plan.candidates().size(); i++) {
                field.add(i);
            }
            for (int k = 0; k < schedule.rungSizes().size(); k++) {
                long steps = schedule.rungSteps().get(k);
                TrainingRecipe r = rungRecipe(s.recipe(), steps, train.size());
                List<PlannedRun> entrants = new ArrayList<>();
                for (int c : field) {
                    entrants.add(planned(plan.candidates().get(c), "rung" + (k + 1), (k + 1) * 10_000 + c, r, s.data(), recipes));
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
                    rungs.add(new Rung(k + 1, steps, models(plan, field), acc, List.of()));
                    return stopped(s, plan, id, schedule, rungs, command);
                }
                field = sh.promote(scores);
                rungs.add(new Rung(k + 1, steps, models(plan, scores.stream().map(SuccessiveHalving.Score::candidate).toList()),
                        acc, models(plan, field)));
            }
            }
            Candidate winner = plan.candidates().get(field.get(0));
            listener.winner(winner);
            listener.stage("winner: " + winner.model());

            // 3. the final comparison: the only runs that read the test split
            TrainingRecipe finalBase = rungRecipe(s.recipe(), schedule.finalSteps(), train.size());
            Map<String, String> rolesByModel = new LinkedHashMap<>();
            rolesByModel.merge(winner.model(), "winner", (a, b) -> a + "-" + b);
            rolesByModel.merge(plan.defaultLayout().model(), "default", (a, b) -> a + "-" + b);
            rolesByModel.merge(plan.randomLayout().model(), "random", (a, b) -> a + "-" + b);
            Map<String, Candidate> byModel = new LinkedHashMap<>();
            for (Candidate c : List.of(winner, plan.defaultLayout(), plan.randomLayout())) {
                byModel.putIfAbsent(c.model(), c);
            }
            List<PlannedRun> finals = new ArrayList<>();
            Map<String, List<String>> keysByModel = new LinkedHashMap<>();
            int pos = 900_000;
            for (Candidate c : byModel.values()) {
                for (int seed = 0; seed < s.seeds(); seed++) {
                    PlannedRun f = planned(c, "final-" + rolesByModel.get(c.model()), pos++,
                            finalBase.withSeed(s.recipe().seed() + seed), s.data(), recipes);
                    finals.add(f);
                    keysByModel.computeIfAbsent(c.model(), m -> new ArrayList<>()).add(f.runKey());
                }
            }
            listener.stage(String.format("final: %d networks x %d seeds x %d steps, then the test split",
                    byModel.size(), s.seeds(), schedule.finalSteps()));
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
            return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), schedule, rungs,
                    winner, groups, diffs, winnerDir, complete, command);
        }
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

    private static Outcome stopped(Settings s, Plan plan, long id, RungSchedule schedule, List<Rung> rungs, String command) {
        return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), schedule, rungs, null,
                List.of(), List.of(), null, false, command);
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
        int images = base.trainLimit() > 0 ? Math.min(base.trainLimit(), trainImages) : trainImages;
        long perEpoch = Math.max(1, (long) Math.ceil(images * (1 - base.validationFraction()) / base.batchSize()));
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
