package io.parsimony.experiment.design;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The candidates no other beats on accuracy without costing more. A design's single winner is the
 * most accurate network, but a device has budgets (memory for parameters, compute for
 * multiply-adds, a latency target): the user has to choose accuracy against those, and only the
 * networks on the front are worth choosing.
 */
public final class ParetoFront {

    private ParetoFront() {
    }

    /**
     * One network: its costs, and its accuracy ({@code null} when not trained or the run failed).
     * {@code latencyMillis} is {@code null} when not measured.
     */
    public record Point(String model, long parameters, long multiplyAdds, Double latencyMillis, Double accuracy) {
        public Point {
            Objects.requireNonNull(model, "model");
        }
    }

    /** A cost, lower is better. */
    public enum Axis {
        PARAMETERS("parameters"),
        MULTIPLY_ADDS("multiply-adds per image"),
        LATENCY("latency (ms, batch 1)");

        private final String label;

        Axis(String label) {
            this.label = label;
        }

        /** The point's cost on this axis; NaN for a latency not measured. */
        public double of(Point p) {
            return switch (this) {
                case PARAMETERS -> p.parameters();
                case MULTIPLY_ADDS -> p.multiplyAdds();
                case LATENCY -> p.latencyMillis() == null ? Double.NaN : p.latencyMillis();
            };
        }

        public String label() {
            return label;
        }
    }

    /**
     * Indices, ascending, of the points on the front: those with an accuracy (and a latency, if
     * {@link Axis#LATENCY} is a cost) that no other such point dominates. A point dominates another
     * when it is at least as accurate and costs no more on every axis, strictly better on one; so
     * identical points are both on the front. NaN counts as missing.
     */
    public static List<Integer> nonDominated(List<Point> points, List<Axis> costs) {
        List<Axis> axes = List.copyOf(costs);
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (eligible(points.get(i), axes)) {
                eligible.add(i);
            }
        }
        // Most accurate first, then cheapest: whatever dominates a point comes before it, and if
        // anything does, so does a point already on the front (dominance is transitive).
        Comparator<Integer> order = Comparator.comparingDouble(i -> -points.get(i).accuracy());
        for (Axis a : axes) {
            order = order.thenComparingDouble(i -> a.of(points.get(i)));
        }
        eligible.sort(order);
        List<Integer> front = new ArrayList<>();
        for (int i : eligible) {
            Point p = points.get(i);
            if (front.stream().noneMatch(f -> dominates(points.get(f), p, axes))) {
                front.add(i);
            }
        }
        Collections.sort(front);
        return List.copyOf(front);
    }

    private static boolean eligible(Point p, List<Axis> axes) {
        return p.accuracy() != null && !p.accuracy().isNaN()
                && (!axes.contains(Axis.LATENCY) || !Double.isNaN(Axis.LATENCY.of(p)));
    }

    private static boolean dominates(Point a, Point b, List<Axis> axes) {
        boolean strict = a.accuracy() > b.accuracy();
        if (a.accuracy() < b.accuracy()) {
            return false;
        }
        for (Axis x : axes) {
            double ca = x.of(a), cb = x.of(b);
            if (ca > cb) {
                return false;
            }
            strict |= ca < cb;
        }
        return strict;
    }

    /**
     * The fronts a report shows: {@code front} over every available axis, {@code frontByAxis}
     * accuracy against each alone (keys {@code parameters}, {@code multiply_adds}, {@code latency}).
     * Latency is available only when every point with an accuracy has one. {@code winner} is the
     * design's winner (a model among the points) or {@code null}; {@code accuracyMeaning} says which
     * accuracy (e.g. "validation top-1 at the last rung reached").
     */
    public record Report(List<Point> points, List<Integer> front, Map<String, List<Integer>> frontByAxis, String winner,
                         String accuracyMeaning) {

        public Report {
            points = List.copyOf(points);
            front = List.copyOf(front);
            frontByAxis = Collections.unmodifiableMap(new LinkedHashMap<>(frontByAxis));
            Objects.requireNonNull(accuracyMeaning, "accuracyMeaning");
        }

        public static Report of(List<Point> points, String winnerModel, String accuracyMeaning) {
            if (winnerModel != null && points.stream().noneMatch(p -> p.model().equals(winnerModel))) {
                throw new IllegalArgumentException("winner " + winnerModel + " is not among the points");
            }
            List<Axis> axes = new ArrayList<>(List.of(Axis.PARAMETERS, Axis.MULTIPLY_ADDS));
            boolean anyLatency = points.stream().anyMatch(p -> p.latencyMillis() != null && !p.latencyMillis().isNaN());
            boolean allLatency = points.stream().filter(p -> eligible(p, List.of()))
                    .allMatch(p -> eligible(p, List.of(Axis.LATENCY)));
            if (anyLatency && allLatency) {
                axes.add(Axis.LATENCY);
            }
            Map<String, List<Integer>> byAxis = new LinkedHashMap<>();
            for (Axis a : axes) {
                byAxis.put(a.name().toLowerCase(Locale.ROOT), nonDominated(points, List.of(a)));
            }
            return new Report(points, nonDominated(points, axes), byAxis, winnerModel, accuracyMeaning);
        }
    }
}
