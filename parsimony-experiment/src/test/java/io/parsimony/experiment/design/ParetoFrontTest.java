package io.parsimony.experiment.design;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.experiment.design.ParetoFront.Axis;
import io.parsimony.experiment.design.ParetoFront.Point;
import io.parsimony.experiment.design.ParetoFront.Report;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The front against an independent brute force, and by hand. */
class ParetoFrontTest {

    record Problem(List<Point> points, List<Axis> costs) {
    }

    /** Few distinct values, so that ties and equal costs are common; some accuracies and latencies missing. */
    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Point> point = Combinators.combine(
                Arbitraries.longs().between(1, 5), Arbitraries.longs().between(1, 5),
                Arbitraries.of(1.0, 2.0, 3.0).injectNull(0.15), Arbitraries.of(0.5, 0.6, 0.7, 0.8).injectNull(0.15))
                .as((p, m, l, a) -> new Point("m", p, m, l, a));
        Arbitrary<List<Axis>> costs = Arbitraries.of(Axis.values()).set().ofMinSize(1).map(List::copyOf);
        return Combinators.combine(point.list().ofMaxSize(12), costs).as(Problem::new);
    }

    /** All points with the values the axes need that no other such point dominates, by definition, in O(n²). */
    static List<Integer> bruteForce(List<Point> ps, List<Axis> costs) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            if (!usable(ps.get(i), costs)) {
                continue;
            }
            boolean dominated = false;
            for (int j = 0; j < ps.size() && !dominated; j++) {
                if (j == i || !usable(ps.get(j), costs)) {
                    continue;
                }
                Point a = ps.get(j), b = ps.get(i);
                boolean noWorse = a.accuracy() >= b.accuracy(), better = a.accuracy() > b.accuracy();
                for (Axis x : costs) {
                    noWorse &= cost(a, x) <= cost(b, x);
                    better |= cost(a, x) < cost(b, x);
                }
                dominated = noWorse && better;
            }
            if (!dominated) {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean usable(Point p, List<Axis> costs) {
        return p.accuracy() != null && (!costs.contains(Axis.LATENCY) || p.latencyMillis() != null);
    }

    private static double cost(Point p, Axis x) {
        return switch (x) {
            case PARAMETERS -> p.parameters();
            case MULTIPLY_ADDS -> p.multiplyAdds();
            case LATENCY -> p.latencyMillis();
        };
    }

    @Property(tries = 500)
    void nonDominatedEqualsBruteForce(@ForAll("problems") Problem p) {
        assertEquals(bruteForce(p.points(), p.costs()), ParetoFront.nonDominated(p.points(), p.costs()));
    }

    private static Point pt(String m, long params, long macs, Double ms, Double acc) {
        return new Point(m, params, macs, ms, acc);
    }

    @Test
    void aDominatedPointIsOffTheFrontAndTradeOffsStayOn() {
        List<Point> ps = List.of(
                pt("small", 100, 1_000, 1.0, 0.80),
                pt("big", 1_000, 10_000, 5.0, 0.90),
                pt("worse", 500, 5_000, 3.0, 0.79),     // costs more than small, less accurate
                pt("wide", 1_000, 2_000, 2.0, 0.85));   // as many parameters as big, fewer multiply-adds
        List<Axis> all = List.of(Axis.PARAMETERS, Axis.MULTIPLY_ADDS, Axis.LATENCY);
        assertEquals(List.of(0, 1, 3), ParetoFront.nonDominated(ps, all));
        assertEquals(List.of(0, 1), ParetoFront.nonDominated(ps, List.of(Axis.PARAMETERS)));   // big dominates wide here
        assertEquals(List.of(0, 1, 3), ParetoFront.nonDominated(ps, List.of(Axis.MULTIPLY_ADDS)));
        assertEquals(List.of(1), ParetoFront.nonDominated(ps, List.of()), "accuracy alone");
    }

    @Test
    void identicalPointsAreBothOnTheFrontAndEqualCostsNeedStrictAccuracy() {
        List<Point> ps = List.of(pt("a", 10, 10, null, 0.7), pt("b", 10, 10, null, 0.7), pt("c", 10, 10, null, 0.69),
                pt("d", 10, 11, null, 0.7));
        assertEquals(List.of(0, 1), ParetoFront.nonDominated(ps, List.of(Axis.PARAMETERS, Axis.MULTIPLY_ADDS)));
        assertEquals(List.of(0, 1, 3), ParetoFront.nonDominated(ps, List.of(Axis.PARAMETERS)));
    }

    @Test
    void pointsWithoutAccuracyAreNeitherOnTheFrontNorDominating() {
        List<Point> ps = List.of(pt("failed", 1, 1, 0.1, null), pt("nan", 1, 1, 0.1, Double.NaN), pt("ok", 5, 5, 1.0, 0.6));
        assertEquals(List.of(2), ParetoFront.nonDominated(ps, List.of(Axis.values())));
        assertEquals(List.of(), ParetoFront.nonDominated(List.of(pt("failed", 1, 1, null, null)), List.of(Axis.PARAMETERS)));
    }

    @Test
    void latencyIsDroppedWhenAnAccuratePointLacksOne() {
        List<Point> ps = List.of(
                pt("fast", 200, 2_000, 1.0, 0.80),
                pt("slow", 100, 1_000, null, 0.80),        // not timed: latency cannot be an axis
                pt("untrained", 50, 500, null, null),
                pt("dominated", 300, 3_000, 9.0, 0.70));
        Report r = Report.of(ps, "slow", "validation top-1 at the last rung reached");
        assertEquals(List.of("parameters", "multiply_adds"), List.copyOf(r.frontByAxis().keySet()));
        assertEquals(List.of(1), r.front());
        assertEquals(List.of(1), r.frontByAxis().get("parameters"));
        assertEquals("slow", r.winner());

        // untrained points without a latency do not matter: every point with an accuracy is timed
        List<Point> timed = List.of(ps.get(0), pt("slow", 100, 1_000, 3.0, 0.80), ps.get(2), ps.get(3));
        Report t = Report.of(timed, null, "test top-1");
        assertEquals(List.of("parameters", "multiply_adds", "latency"), List.copyOf(t.frontByAxis().keySet()));
        assertEquals(List.of(0, 1), t.front());
        assertEquals(List.of(0), t.frontByAxis().get("latency"));
        assertEquals(List.of(1), t.frontByAxis().get("multiply_adds"));

        // nothing timed at all: no latency axis either
        Report none = Report.of(List.of(pt("a", 1, 1, null, 0.5)), "a", "x");
        assertEquals(Map.of("parameters", List.of(0), "multiply_adds", List.of(0)), none.frontByAxis());
    }

    @Test
    void aWinnerMustBeAmongThePoints() {
        assertThrows(IllegalArgumentException.class, () -> Report.of(List.of(pt("a", 1, 1, null, 0.5)), "b", "x"));
    }

    @Test
    void theReportRoundTripsThroughJackson() throws Exception {
        Report r = Report.of(List.of(pt("a", 10, 100, 1.5, 0.5), pt("b", 20, 50, 2.0, null), pt("c", 5, 500, 0.5, 0.4)),
                "a", "test top-1");
        ObjectMapper json = new ObjectMapper();
        String s = json.writeValueAsString(r);
        assertEquals(r, json.readValue(s, Report.class), s);
        assertEquals(List.of("parameters", "multiply_adds", "latency"),
                List.copyOf(json.readTree(s).get("frontByAxis").properties().stream().map(Map.Entry::getKey).toList()));
    }
}
