package io.parsimony.experiment.design;

import io.parsimony.experiment.design.Comparison.Group;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliverableTest {

    private static final List<Group> GROUPS = List.of(
            Group.of("winner", "plain:29,31,32,33,38", List.of(0.8126, 0.8110)),
            Group.of("default", "plain:35,36,37,43", List.of(0.8230, 0.8221)),
            Group.of("random", "plain:11,26,27,121", List.of(0.7981, 0.7990)));
    private static final Map<String, String> DIRS = Map.of("plain:29,31,32,33,38", "runs/w", "plain:35,36,37,43", "runs/d",
            "plain:11,26,27,121", "runs/r");

    @Test
    void aBaselineWithBetterFinalValidationIsTheOneToShip() {
        Deliverable d = Deliverable.choose(GROUPS, Map.of("plain:29,31,32,33,38", List.of(0.8164, 0.8150),
                "plain:35,36,37,43", List.of(0.8288, 0.8270), "plain:11,26,27,121", List.of(0.7984, 0.7990)), DIRS);
        assertEquals("default", d.role());
        assertEquals("runs/d", d.runDir());
        assertFalse(d.winner());
        assertEquals(0.8157, d.validation().get("winner"), 1e-12);
        assertTrue(d.overtaken().contains("82.79% against the race's winner's 81.57%"), d.overtaken());
    }

    @Test
    void theWinnerStaysOnTiesAndWhenItLeads() {
        Deliverable tie = Deliverable.choose(GROUPS, Map.of("plain:29,31,32,33,38", List.of(0.82),
                "plain:35,36,37,43", List.of(0.82)), DIRS);
        assertTrue(tie.winner());
        assertEquals("runs/w", tie.runDir());
        assertEquals("", tie.overtaken());
        Deliverable leads = Deliverable.choose(GROUPS, Map.of("plain:29,31,32,33,38", List.of(0.83),
                "plain:35,36,37,43", List.of(0.82), "plain:11,26,27,121", List.of(0.80)), DIRS);
        assertEquals("winner", leads.role());
    }

    @Test
    void withoutTheWinnersValidationFiguresTheWinnerIsShipped() {
        // rows recorded before the store kept validation figures: nothing to compare the baselines with
        Deliverable d = Deliverable.choose(GROUPS, Map.of("plain:35,36,37,43", List.of(0.99)), DIRS);
        assertTrue(d.winner());
        assertEquals("runs/w", d.runDir());
    }
}
