package io.parsimony.experiment.design;

import io.parsimony.experiment.design.Comparison.Group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A design's results as {@link ParetoFront} reports: what {@code design.json} and the HTML draw. */
final class Fronts {

    private Fronts() {
    }

    /** Every candidate as a point: rung-1 validation accuracy (the one figure all of them have) against its costs. */
    static ParetoFront.Report validation(Design.Settings s, Design.Plan plan, List<Design.Rung> rungs, Candidate winner) {
        Map<String, Double> rung1 = new HashMap<>();
        if (!rungs.isEmpty()) {
            Design.Rung r = rungs.get(0);
            for (int i = 0; i < r.models().size(); i++) {
                if (r.accuracy().get(i) != null) {
                    rung1.put(r.models().get(i), r.accuracy().get(i));
                }
            }
        }
        List<ParetoFront.Point> points = plan.candidates().stream()
                .map(c -> point(s, c, plan.latencyMillis().get(c.model()), rung1.get(c.model()))).toList();
        return ParetoFront.Report.of(points, winner == null ? null : winner.model(), rungs.isEmpty()
                ? "validation top-1 after the first rung (not trained yet)"
                : "validation top-1 after the first rung (" + rungs.get(0).steps() + " steps), the one figure every candidate has");
    }

    /** The finalists as points: mean test accuracy over the seeds of the final stage. */
    static ParetoFront.Report test(Design.Settings s, Design.Plan plan, List<Group> groups, Map<String, Candidate> byModel,
                                                Candidate winner) {
        List<ParetoFront.Point> points = groups.stream()
                .map(g -> point(s, byModel.get(g.model()), plan.latencyMillis().get(g.model()), g.top1().isEmpty() ? null : g.mean()))
                .toList();
        return ParetoFront.Report.of(points, winner.model(), "mean test top-1 of the final stage over its seeds");
    }

    private static ParetoFront.Point point(Design.Settings s, Candidate c, Double latency, Double accuracy) {
        long parameters = io.parsimony.nn.model.ModelSize.of(c.spec(), s.space().imageSize(), s.space().imageSize())
                .parameters().longValueExact();
        return new ParetoFront.Point(c.model(), parameters, c.multiplyAdds(), latency, accuracy);
    }
}
