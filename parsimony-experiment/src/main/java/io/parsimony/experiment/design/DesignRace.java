package io.parsimony.experiment.design;

import io.parsimony.InputException;
import io.parsimony.experiment.design.Comparison.Difference;
import io.parsimony.experiment.design.Comparison.Group;
import io.parsimony.experiment.design.Design.Listener;
import io.parsimony.experiment.design.Design.Outcome;
import io.parsimony.experiment.design.Design.Plan;
import io.parsimony.experiment.design.Design.Rung;
import io.parsimony.experiment.design.Design.Settings;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.sweep.LocalTrainer;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.train.Networks;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.nn.train.TrainingRecipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One run (or resumption) of a design on an open store, stage by stage: the probe that fits the
 * rungs to the time budget, the rungs (in step or asynchronous), and the final comparison. It holds
 * what the stages share — the store, the runners, the recipe of every planned run — so that each
 * stage is a method of its own; {@link Design#run} opens the store and closes it.
 */
final class DesignRace {

    /** What the probe fixed: the candidates that race, their schedule, and the measured timing (null: not timed). */
    private record Fitted(Plan racing, RungSchedule schedule, double[] timing) {
    }

    private final Settings s;
    private final Plan plan;
    private final ResultStore store;
    private final long id;
    private final String command;
    private final SweepRunner.Options options;
    private final int trainImages;
    private final int channels;
    private final int height;
    private final int width;
    private final Listener listener;
    private final SuccessiveHalving sh;
    private final List<String> notes;
    private final Map<String, TrainingRecipe> recipes = new ConcurrentHashMap<>();
    private final SweepRunner validating;
    private final SweepRunner testing;

    DesignRace(Settings s, Plan plan, ResultStore store, long id, Path runsDir, LocalTrainer local, String command,
               SweepRunner.Options options, ImageSet train, Listener listener) {
        this.s = s;
        this.plan = plan;
        this.store = store;
        this.id = id;
        this.command = command;
        this.options = options;
        this.trainImages = train.size();
        this.channels = train.channels();
        this.height = train.height();
        this.width = train.width();
        this.listener = listener;
        this.sh = new SuccessiveHalving(s.eta());
        this.notes = new ArrayList<>(plan.notes());
        this.validating = new SweepRunner(s.data(), r -> recipes.get(r.runKey()), true, id, store, runsDir, local);
        this.testing = new SweepRunner(s.data(), r -> recipes.get(r.runKey()), false, id, store, runsDir, local);
    }

    Outcome run(boolean asynchronous) {
        Fitted f = fit();
        if (f == null) {
            return stopped(null, List.of());
        }
        announce(f);
        List<Rung> rungs = new ArrayList<>();
        Integer w = asynchronous ? asyncRungs(f, rungs) : rungsInStep(f, rungs);
        if (w == null) {
            return stopped(f.schedule(), rungs);
        }
        Candidate winner = f.racing().candidates().get(w);
        listener.winner(winner);
        listener.stage("winner: " + winner.model());
        return finalStage(f, rungs, winner);
    }

    private int finalNetworks() {
        return 3 + (plan.resnets().isEmpty() ? 0 : 1);
    }

    /**
     * Stage 1: the schedule, fixed by {@code --rung-steps} or fitted to {@code --time} from a timed
     * probe (its step time and per-training overhead), leaving out the candidates the time cannot
     * give a first rung above the floor. Null when the design stopped during the probe.
     */
    private Fitted fit() {
        if (s.rungSteps() > 0) {
            return new Fitted(plan, RungSchedule.fixed(sh, plan.candidates().size(), s.rungSteps(), finalNetworks(), s.seeds()),
                    null);
        }
        PlannedRun probe = planned(plan.defaultLayout(), "probe", 0, Design.rungRecipe(s.recipe(), Design.PROBE_STEPS, trainImages));
        listener.stage("probe: timing " + Design.PROBE_STEPS + " steps of " + plan.defaultLayout().model());
        if (options.launcher() == null) {
            ai.djl.engine.Engine.getInstance();   // load the engine first: its start-up is not a per-training cost
            // and probe the default's conv shapes: on a new host the numerics probes would otherwise be
            // timed as training (measured: 2.6 s instead of 2.1 s for 24 steps, 7 candidates left out instead of 3)
            Networks.verifyConvs(plan.defaultLayout().spec(), channels, height, width);
        }
        if (!trainAll(validating, List.of(probe))) {
            return null;
        }
        RunRow p = row(probe.runKey());
        if (p == null || !p.done() || p.steps() == null || p.steps() == 0) {
            throw new InputException("the timing probe failed" + (p == null ? "" : ": " + p.error())
                    + "; check the data set and the recipe with 'parsimony train'");
        }
        double[] timing = {p.trainSeconds() / p.steps(), Math.max(0, p.wallSeconds() - p.trainSeconds())};
        List<Long> finalMacs = s.finalEpochs() > 0 ? List.of()
                : List.of(plan.defaultLayout(), plan.defaultLayout(), plan.randomLayout()).stream()   // the winner costed as the default
                        .map(Candidate::multiplyAdds).toList();
        long floor = Design.firstRungFloor(s.recipe());
        RungSchedule.Fit fit = RungSchedule.fitWithFloor(s.seconds(), sh, timing[0], plan.defaultLayout().multiplyAdds(),
                timing[1], plan.candidates().stream().map(Candidate::multiplyAdds).toList(), finalMacs, s.seeds(), floor);
        if (fit.dropped().isEmpty()) {
            return new Fitted(plan, fit.schedule(), timing);
        }
        List<Candidate> out = fit.dropped().stream().map(plan.candidates()::get).toList();
        notes.add(String.format("--time %s affords a first rung of %d steps (%,d images, the floor below which rankings are noise) "
                        + "for %d of %d candidates: left out the %d most expensive (%s multiply-adds): %s",
                RungSchedule.human(s.seconds()), floor, floor * s.recipe().batchSize(), fit.kept().size(),
                plan.candidates().size(), out.size(), Design.range(out.stream().map(c -> (double) c.multiplyAdds()).toList(),
                        "%,.0f"), Design.names(out)));
        return new Fitted(plan.racing(fit.kept()), fit.schedule(), timing);
    }

    /**
     * The race's own notes (what the probe left out), the schedule and the final stage's cost, before
     * the rungs start. The plan's notes are not repeated: its caller prints them before the probe,
     * and they stay in {@link Design.Outcome#notes()} for the report.
     */
    private void announce(Fitted f) {
        notes.subList(plan.notes().size(), notes.size()).forEach(listener::stage);
        RungSchedule schedule = f.schedule();
        listener.stage(String.format("schedule: %d candidates, rungs %s of %s steps; about %s", f.racing().candidates().size(),
                schedule.rungSizes(), schedule.rungSteps(), Double.isNaN(schedule.estimatedSeconds()) ? "(not timed)"
                        : RungSchedule.human(schedule.estimatedSeconds())));
        if (s.finalEpochs() > 0) {
            Double est = f.timing() == null ? null : FinalStage.estimatedSeconds(s, f.racing(), null,
                    plan.resnets().isEmpty() ? null : plan.resnets().get(0), f.timing(), trainImages, Map.of());
            listener.stage(String.format("then the final stage: %d networks x %d seeds x %d epochs (%s)%s, not counted in --time",
                    finalNetworks(), s.seeds(), s.finalEpochs(), s.finalSchedule(),
                    est == null ? "" : ", about " + RungSchedule.human(est)));
        }
    }

    /**
     * Stage 2, one worker: every rung trained to the end before the next, ranked by validation
     * accuracy. Fills {@code rungs}; returns the winner's index, or null when the design stopped first.
     */
    private Integer rungsInStep(Fitted f, List<Rung> rungs) {
        Plan racing = f.racing();
        List<Integer> field = new ArrayList<>();
        for (int i = 0; i < racing.candidates().size(); i++) {
            field.add(i);
        }
        for (int k = 0; k < f.schedule().rungSizes().size(); k++) {
            long steps = f.schedule().rungSteps().get(k);
            TrainingRecipe r = Design.rungRecipe(s.recipe(), steps, trainImages);
            List<PlannedRun> entrants = new ArrayList<>();
            for (int c : field) {
                entrants.add(planned(racing.candidates().get(c), "rung" + (k + 1), (k + 1) * 10_000 + c, r));
            }
            listener.stage(String.format("rung %d: %d candidates x %d steps", k + 1, entrants.size(), steps));
            boolean complete = trainAll(validating, entrants);
            List<SuccessiveHalving.Score> scores = new ArrayList<>();
            List<Double> acc = new ArrayList<>();
            for (int j = 0; j < field.size(); j++) {
                RunRow row = row(entrants.get(j).runKey());
                Double a = row != null && row.done() ? row.valTop1() : null;
                acc.add(a);
                scores.add(new SuccessiveHalving.Score(field.get(j), a));
            }
            if (!complete) {
                rungs.add(new Rung(k + 1, steps, models(racing, field), acc, List.of()));
                return null;
            }
            field = sh.promote(scores);
            rungs.add(new Rung(k + 1, steps, models(racing, scores.stream().map(SuccessiveHalving.Score::candidate).toList()),
                    acc, models(racing, field)));
        }
        return field.get(0);
    }

    /**
     * Stage 2, several workers ({@link AsyncHalving}): a candidate is promoted as soon as the results
     * so far put it in its rung's top 1/η. Fills {@code rungs}; returns the winner's index, or null
     * when the design stopped first. A rerun replays the recorded results in the order they finished,
     * so it promotes what the stopped run had promoted, and trains only what is missing.
     */
    private Integer asyncRungs(Fitted f, List<Rung> rungs) {
        Plan racing = f.racing();
        RungSchedule schedule = f.schedule();
        int n = racing.candidates().size();
        AsyncHalving ah = new AsyncHalving(sh, schedule.rungSizes());
        List<TrainingRecipe> rungRecipes = schedule.rungSteps().stream().map(st -> Design.rungRecipe(s.recipe(), st, trainImages))
                .toList();
        Map<String, int[]> slots = new ConcurrentHashMap<>();
        BiFunction<Integer, Integer, PlannedRun> entrant = (k, c) -> {
            PlannedRun r = planned(racing.candidates().get(c), "rung" + (k + 1), (k + 1) * 10_000 + c, rungRecipes.get(k));
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
                    .min(Comparator.comparing((PlannedRun r) -> String.valueOf(recorded.get(r.runKey()).finishedAt()))
                            .thenComparingInt(PlannedRun::position)).orElse(null);
            if (next == null) {
                break;
            }
            pending.remove(next);
            pending.addAll(promoted(ah, slots.get(next.runKey()), recorded.get(next.runKey()), entrant));
        }
        listener.stage(String.format("rungs %s, asynchronous: %d candidates x %s steps; a candidate moves up as soon as it is "
                + "in the top 1/%d of its rung so far", schedule.rungSizes(), n, schedule.rungSteps(), s.eta()));
        validating.run(pending, options, listener, (run, row) -> {
            int[] kc = slots.get(run.runKey());
            return kc == null ? List.of() : promoted(ah, kc, row, entrant);
        });
        for (int k = 0; k < ah.rungs(); k++) {
            List<Integer> in = ah.entrants(k, n);
            List<Double> acc = new ArrayList<>();
            for (int c : in) {
                acc.add(ah.accuracy(k, c));
            }
            rungs.add(new Rung(k + 1, schedule.rungSteps().get(k), models(racing, in), acc, models(racing, ah.promotedFrom(k))));
        }
        return ah.winner();
    }

    /** Records one rung result and returns the runs it promotes into the next rung (none from the last). */
    private static List<PlannedRun> promoted(AsyncHalving ah, int[] rungAndCandidate, RunRow row,
                                             BiFunction<Integer, Integer, PlannedRun> entrant) {
        int k = rungAndCandidate[0];
        List<Integer> up = ah.record(k, rungAndCandidate[1], row.done() ? row.valTop1() : null);
        return k + 1 >= ah.rungs() ? List.of() : up.stream().map(c -> entrant.apply(k + 1, c)).toList();
    }

    /**
     * Stage 3, the only runs that read the test split: the winner, the default and random layouts
     * and the hand-designed ResNet, seed by seed (so a stopped stage already compares every
     * finalist on its first seeds); a network in two roles trains once.
     */
    private Outcome finalStage(Fitted f, List<Rung> rungs, Candidate winner) {
        Candidate resnet = FinalStage.handDesigned(plan.resnets(), rungs);
        TrainingRecipe finalBase = FinalStage.recipe(s, f.schedule(), trainImages);
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
        for (int seed = 0; seed < s.seeds(); seed++) {
            for (Candidate c : byModel.values()) {
                PlannedRun run = planned(c, "final-" + rolesByModel.get(c.model()), pos++, finalBase.withSeed(s.recipe().seed() + seed));
                finals.add(run);
                keysByModel.computeIfAbsent(c.model(), m -> new ArrayList<>()).add(run.runKey());
            }
        }
        Double estimate = f.timing() == null ? null : FinalStage.estimatedSeconds(s, f.racing(), winner, resnet, f.timing(),
                trainImages, FinalStage.measuredSteps(store.runs(id)));
        FinalStage stage = new FinalStage(byModel.size(), s.seeds(), s.finalEpochs(), String.valueOf(finalBase.schedule()),
                s.finalEpochs() > 0 ? s.finalEpochs() * Design.stepsPerEpoch(s.recipe(), trainImages) : f.schedule().finalSteps(),
                estimate);
        listener.stage(String.format("final: %d networks (%s) x %d seeds x %s%s, then the test split", byModel.size(),
                String.join(", ", rolesByModel.values()), s.seeds(), s.finalEpochs() > 0
                        ? s.finalEpochs() + " epochs (" + finalBase.schedule() + ")" : f.schedule().finalSteps() + " steps",
                estimate == null ? "" : ", about " + RungSchedule.human(estimate)
                        + (s.finalEpochs() > 0 ? " (not counted in --time)" : "")));
        boolean complete = trainAll(testing, finals);

        List<Group> groups = new ArrayList<>();
        Map<String, List<Double>> validation = new LinkedHashMap<>();
        Map<String, String> dirs = new LinkedHashMap<>();
        for (Candidate c : byModel.values()) {
            List<Double> top1 = new ArrayList<>();
            for (String key : keysByModel.get(c.model())) {
                RunRow row = row(key);
                if (row != null && row.done() && row.top1() != null) {
                    top1.add(row.top1());
                    dirs.putIfAbsent(c.model(), row.runDir());
                    if (row.valTop1() != null) {
                        validation.computeIfAbsent(c.model(), m -> new ArrayList<>()).add(row.valTop1());
                    }
                }
            }
            groups.add(Group.of(rolesByModel.get(c.model()), c.model(), top1));
        }
        String winnerDir = dirs.get(winner.model());
        Deliverable deliverable = complete ? Deliverable.choose(groups, validation, dirs) : null;
        List<Difference> diffs = new ArrayList<>();
        for (Group g : groups.subList(1, groups.size())) {
            diffs.add(Comparison.difference(groups.get(0), g));
        }
        return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), f.schedule(), rungs,
                winner, groups, diffs, winnerDir, complete, command, resnet, stage, notes, plan.latencyMillis(),
                Fronts.validation(s, plan, rungs, winner), Fronts.test(s, plan, groups, byModel, winner), deliverable);
    }

    private Outcome stopped(RungSchedule schedule, List<Rung> rungs) {
        return new Outcome(s.key(), id, plan.candidates(), plan.defaultLayout(), plan.randomLayout(), schedule, rungs, null,
                List.of(), List.of(), null, false, command, null, null, notes, plan.latencyMillis(),
                Fronts.validation(s, plan, rungs, null), null, null);
    }

    /**
     * Trains what the store lacks of {@code runs}; true when every one of them is now recorded
     * (a stopped runner, a run left to another process or a dead worker leave some unrecorded).
     */
    private boolean trainAll(SweepRunner runner, List<PlannedRun> runs) {
        runner.run(runs, options, listener);
        Map<String, String> status = store.statuses(id);
        return runs.stream().allMatch(r -> status.containsKey(r.runKey()));
    }

    private RunRow row(String runKey) {
        return store.runs(id).stream().filter(r -> r.runKey().equals(runKey)).findFirst().orElse(null);
    }

    private static List<String> models(Plan plan, List<Integer> indices) {
        return indices.stream().map(i -> plan.candidates().get(i).model()).toList();
    }

    private PlannedRun planned(Candidate c, String role, int position, TrainingRecipe recipe) {
        // a tested run is another run than a validation-only one of the same model and recipe (the winner's last rung)
        boolean tested = role.startsWith("final");
        String key = Hashing.sha256(Hashing.json(c.spec()) + "|" + s.data() + "|" + Hashing.json(recipe) + (tested ? "|test" : ""))
                .substring(0, 16);
        recipes.put(key, recipe);
        return new PlannedRun(position, new Layout(DesignSpace.convWidths(c.spec() instanceof RescaledSpec r ? r.scaled() : c.spec())),
                role, c.energy(), c.convWeights(), c.spec(), c.model(), key);
    }
}
