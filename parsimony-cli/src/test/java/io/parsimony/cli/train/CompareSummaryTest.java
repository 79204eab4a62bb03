package io.parsimony.cli.train;

import io.parsimony.cli.CliRun;
import io.parsimony.nn.model.GroupCnns;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.Evaluation;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code compare}'s aggregation over seeds and the share of the P4CNN's gain that repetition recovers, on given errors. */
class CompareSummaryTest {

    private static CompareCommand.Row run(ModelSpec m, long seed, double error) {
        Evaluation e = new Evaluation(100, 1 - error, 1, 0.5, new double[0], new long[0][0]);
        TrainingRun.Result r = new TrainingRun.Result(m.describe(), m, TrainingRecipe.defaults(1), "x", 0, 0, 1, 1, 2.0, e,
                List.of(), true, null);
        return new CompareCommand.Row(m.describe(), ModelCatalog.format(m), 1, 1, 0, 0, ModelCatalog.format(m), seed, r);
    }

    @Test
    void meansStdsAndTheFractionOfTheGainRecovered() {
        ModelSpec z2 = GroupCnns.z2cnn(1, 10), p4 = GroupCnns.p4cnn(1, 10);
        ModelSpec rot = ModelCatalog.parse("z2cnn@w2", 1, 10, 28), plain = ModelCatalog.parse("z2cnn@w2-plain", 1, 10, 28);
        List<CompareCommand.Row> rows = new ArrayList<>();
        double[][] errors = {{0.05, 0.06, 0.04}, {0.02, 0.03, 0.025}, {0.045, 0.04, 0.041}, {0.05, 0.052, 0.048}};
        List<ModelSpec> specs = List.of(z2, p4, rot, plain);
        for (int i = 0; i < 4; i++) {
            for (int s = 0; s < 3; s++) {
                rows.add(run(specs.get(i), s, errors[i][s]));
            }
        }
        CompareCommand.Summary summary = CompareCommand.summarise(specs, rows);
        assertEquals(4, summary.models().size());
        CompareCommand.Aggregate a = summary.models().get(0);
        assertEquals(0.05, a.testErrorMean(), 1e-12);
        assertEquals(0.01, a.testErrorStd(), 1e-12, "sample std of 5%, 6%, 4%");
        assertEquals(3, a.seeds());
        assertEquals(2, summary.gains().size(), "one per rescaling of z2cnn");
        CompareCommand.GainRecovered g = summary.gains().get(0);
        assertEquals("p4cnn", g.reference());
        assertEquals("z2cnn", g.base());
        assertEquals("z2cnn@w2d1", g.rescaled());
        // P4CNN mean 2.5%, rescaled mean 4.2%: (5 − 4.2) / (5 − 2.5) = 0.32
        assertEquals(0.32, g.fraction(), 1e-9);
        assertEquals(0.0, summary.gains().get(1).fraction(), 1e-9, "plain tiles: mean 5.0%, nothing recovered");

        // a P4CNN that does not beat the base leaves no gain to recover
        List<CompareCommand.Row> worse = new ArrayList<>(List.of(run(z2, 0, 0.03), run(p4, 0, 0.04), run(rot, 0, 0.02)));
        assertNull(CompareCommand.summarise(List.of(z2, p4, rot), worse).gains().get(0).fraction());
    }

    @Test
    void seedsOutsideTheirRangeAreRefusedInOneLine() {
        CliRun r = CliRun.of("compare", "plain:4", "--seeds", "0", "--data", "/usr/share/datasets/fashion-mnist");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--seeds must be in 1..10"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
