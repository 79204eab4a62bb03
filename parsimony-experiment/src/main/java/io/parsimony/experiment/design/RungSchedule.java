package io.parsimony.experiment.design;

import io.parsimony.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * How many optimizer steps each rung trains, fitted to a time budget from measured step
 * times: rung k trains r₀·ηᵏ steps, and the final comparison trains as long as the last rung.
 * The cost model is linear in r₀ — a candidate's step costs the probe's step time scaled by its
 * multiply-adds (with a fixed share, {@link #FIXED_SHARE}, that does not scale), and every
 * training pays the probe's overhead (building, validation) once — so r₀ is solved directly.
 * Rungs after the first use the mean step time: who is promoted is not known in advance.
 *
 * @param rungSteps   steps of each rung
 * @param finalSteps  steps of each final training
 * @param estimatedSeconds what the plan is expected to take
 */
public record RungSchedule(List<Integer> rungSizes, List<Long> rungSteps, long finalSteps, int finalRuns,
                           double estimatedSeconds) {

    /** The shortest rung worth ranking candidates by. */
    public static final long MIN_RUNG_STEPS = 10;
    /** Share of a step's time that does not grow with the network (data, optimizer bookkeeping). */
    static final double FIXED_SHARE = 0.3;

    public RungSchedule {
        rungSizes = List.copyOf(rungSizes);
        rungSteps = List.copyOf(rungSteps);
    }

    /**
     * @param seconds        the time budget of the rungs (and of the final comparison when {@code finalMacs} is not empty)
     * @param stepSeconds    the measured seconds per step of the probe network
     * @param probeMacs      its multiply-adds per image
     * @param overheadSeconds the measured cost of one training beyond its steps
     * @param candidateMacs  multiply-adds per image of every candidate, in field order
     * @param finalMacs      of the networks of the final comparison (each trained {@code seeds} times)
     */
    public static RungSchedule fit(double seconds, SuccessiveHalving sh, double stepSeconds, long probeMacs,
                                   double overheadSeconds, List<Long> candidateMacs, List<Long> finalMacs, int seeds) {
        Cost c = cost(sh, stepSeconds, probeMacs, overheadSeconds, candidateMacs, finalMacs, seeds);
        long r0 = c.r0(seconds);
        if (r0 < MIN_RUNG_STEPS) {
            double need = c.seconds(MIN_RUNG_STEPS);
            throw new InputException(String.format("--time %s is too short: %d candidates and the final comparison need at "
                            + "least %s for rungs of %d steps (measured %.3f s/step); give --time %s or more, or fewer candidates "
                            + "(--families, --max-depth, --top)", human(seconds), candidateMacs.size(), human(need), MIN_RUNG_STEPS,
                    stepSeconds, human(Math.ceil(need / 60) * 60)));
        }
        return c.schedule(r0);
    }

    /**
     * A schedule fitted to the time with a first rung of at least {@code floorSteps}, and which
     * candidates it leaves out to afford that floor.
     *
     * @param kept    indices into the candidates, in their order, that race
     * @param dropped indices left out, most expensive (multiply-adds) first
     */
    public record Fit(RungSchedule schedule, List<Integer> kept, List<Integer> dropped) {
        public Fit {
            kept = List.copyOf(kept);
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * As {@link #fit}, but when the time cannot give every candidate a first rung of
     * {@code floorSteps} the most expensive candidates (by multiply-adds per image) are left out,
     * one at a time, until it can: a design that ranks fewer candidates on a meaningful first
     * rung beats one that ranks all of them on noise, and beats refusing to start.
     *
     * @throws InputException if not even the two cheapest candidates afford the floor
     */
    public static Fit fitWithFloor(double seconds, SuccessiveHalving sh, double stepSeconds, long probeMacs,
                                   double overheadSeconds, List<Long> candidateMacs, List<Long> finalMacs, int seeds,
                                   long floorSteps) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < candidateMacs.size(); i++) {
            kept.add(i);
        }
        List<Integer> byCost = new ArrayList<>(kept);
        byCost.sort(java.util.Comparator.comparingLong((Integer i) -> candidateMacs.get(i)).reversed()
                .thenComparing(java.util.Comparator.reverseOrder()));
        List<Integer> dropped = new ArrayList<>();
        while (true) {
            Cost c = cost(sh, stepSeconds, probeMacs, overheadSeconds, kept.stream().map(candidateMacs::get).toList(), finalMacs,
                    seeds);
            long r0 = c.r0(seconds);
            if (r0 >= floorSteps || kept.size() == 1) {   // a single candidate races nothing
                return new Fit(c.schedule(Math.max(r0, floorSteps)), kept, dropped);
            }
            if (kept.size() == 2) {
                double need = c.seconds(floorSteps);
                throw new InputException(String.format("--time %s is too short: even the two cheapest candidates need %s for a "
                                + "first rung of %d steps (measured %.3f s/step); give --time %s or more", human(seconds), human(need),
                        floorSteps, stepSeconds, human(Math.ceil(need / 60) * 60)));
            }
            Integer most = byCost.remove(0);
            kept.remove(most);
            dropped.add(most);
        }
    }

    /** The plan's cost as {@code fixed + r0 · perR0} seconds. */
    private record Cost(List<Integer> sizes, int eta, double perR0, double fixed, int finalRuns) {
        long r0(double seconds) {
            return (long) Math.floor((seconds - fixed) / perR0);
        }

        double seconds(long r0) {
            return fixed + r0 * perR0;
        }

        RungSchedule schedule(long r0) {
            List<Long> steps = new ArrayList<>();
            for (int k = 0; k < sizes.size(); k++) {
                steps.add(r0 * (long) Math.pow(eta, k));
            }
            double lastFactor = sizes.isEmpty() ? 1 : Math.pow(eta, sizes.size() - 1);
            return new RungSchedule(sizes, steps, (long) (r0 * lastFactor), finalRuns, seconds(r0));
        }
    }

    private static Cost cost(SuccessiveHalving sh, double stepSeconds, long probeMacs, double overheadSeconds,
                             List<Long> candidateMacs, List<Long> finalMacs, int seeds) {
        List<Integer> sizes = sh.rungSizes(candidateMacs.size());
        double mean = candidateMacs.stream().mapToDouble(m -> step(stepSeconds, probeMacs, m)).average().orElse(stepSeconds);
        double perR0 = candidateMacs.stream().mapToDouble(m -> step(stepSeconds, probeMacs, m)).sum();
        int trainings = sizes.isEmpty() ? 0 : sizes.get(0);
        for (int k = 1; k < sizes.size(); k++) {
            perR0 += sizes.get(k) * Math.pow(sh.eta(), k) * mean;
            trainings += sizes.get(k);
        }
        double lastFactor = sizes.isEmpty() ? 1 : Math.pow(sh.eta(), sizes.size() - 1);
        int finalRuns = finalMacs.size() * seeds;
        perR0 += seeds * lastFactor * finalMacs.stream().mapToDouble(m -> step(stepSeconds, probeMacs, m)).sum();
        trainings += finalRuns;
        return new Cost(sizes, sh.eta(), perR0, trainings * overheadSeconds, finalRuns);
    }

    /** A schedule whose first rung trains {@code r0} steps, whatever the time (no estimate). */
    public static RungSchedule fixed(SuccessiveHalving sh, int candidates, long r0, int finalNetworks, int seeds) {
        List<Integer> sizes = sh.rungSizes(candidates);
        List<Long> steps = new ArrayList<>();
        for (int k = 0; k < sizes.size(); k++) {
            steps.add(r0 * (long) Math.pow(sh.eta(), k));
        }
        return new RungSchedule(sizes, steps, steps.isEmpty() ? r0 : steps.get(steps.size() - 1), finalNetworks * seeds,
                Double.NaN);
    }

    static double step(double probeStep, long probeMacs, long macs) {
        return probeStep * (FIXED_SHARE + (1 - FIXED_SHARE) * (double) macs / Math.max(1, probeMacs));
    }

    /** "1h05m", "12m30s", "45s": how plans and stage lines say a duration. */
    public static String human(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60)
                : s + "s";
    }
}
