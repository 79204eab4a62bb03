package io.parsimony.experiment.sweep;

import io.parsimony.InputException;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.layout.Layout;
import io.parsimony.nn.train.TrainingRecipe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergySweepTest {

    private static EnergySweep sweep(long budget, int layers, int samples, int top, long seed) {
        return new EnergySweep(budget, layers, null, "strict", 0, samples, seed, top, "fashion-mnist", TrainingRecipe.defaults(1));
    }

    @Test
    void planHasTheTopSixOfTable5ThenTheSeededDraw() {
        // n0 = 3 (CIFAR, as in the paper): the top-6 are Table 5's first row
        List<PlannedRun> plan = sweep(4288, 4, 32, 6, 0).plan(3, 10, 32);
        List<Layout> top = plan.stream().filter(PlannedRun::top).map(PlannedRun::layout).toList();
        assertEquals(List.of(Layout.of(35, 36, 37, 43), Layout.of(33, 35, 37, 47), Layout.of(35, 37, 38, 39),
                Layout.of(32, 36, 38, 44), Layout.of(30, 31, 38, 55), Layout.of(28, 29, 32, 77)), top);
        long random = plan.stream().filter(p -> p.roles().contains("random")).count();
        assertEquals(32, random);
        assertEquals(plan.size(), plan.stream().map(PlannedRun::runKey).distinct().count(), "one run per layout");
        assertTrue(plan.stream().allMatch(p -> p.convWeights() == 4288L * 9), "every layout spends the budget exactly");
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i, plan.get(i).position());
        }
        assertEquals(plan.stream().map(PlannedRun::layout).toList(),
                sweep(4288, 4, 32, 6, 0).plan(3, 10, 32).stream().map(PlannedRun::layout).toList(), "same seed, same plan");
        assertNotEquals(plan.stream().map(PlannedRun::layout).toList(),
                sweep(4288, 4, 32, 6, 1).plan(3, 10, 32).stream().map(PlannedRun::layout).toList(), "another seed, another draw");
    }

    @Test
    void aLayoutDrawnAndInTheTopIsTrainedOnceInBothGroups() {
        // 300 units over 3 layers of a grey image: only 4 feasible layouts, so a draw of 4 takes them all
        List<PlannedRun> plan = sweep(300, 3, 4, 2, 0).plan(1, 10, 28);
        assertEquals(4, plan.size());
        assertEquals(2, plan.stream().filter(p -> p.roles().equals("random+top")).count());
        assertEquals("random+top", plan.get(0).roles(), "top layouts come first");
    }

    @Test
    void keysIdentifyTheSweepAndTheRun() {
        EnergySweep a = sweep(4288, 4, 8, 2, 0);
        assertEquals(a.key(), sweep(4288, 4, 8, 2, 0).key());
        assertNotEquals(a.key(), sweep(4288, 4, 8, 2, 1).key());
        EnergySweep other = new EnergySweep(4288, 4, null, "strict", 0, 8, 0, 2, "fashion-mnist", TrainingRecipe.defaults(2));
        assertNotEquals(a.key(), other.key(), "the recipe is part of the sweep");
        PlannedRun r1 = a.plan(1, 10, 28).get(0), r2 = other.plan(1, 10, 28).get(0);
        assertEquals(r1.layout(), r2.layout());
        assertNotEquals(r1.runKey(), r2.runKey(), "the recipe is part of the run");
        assertEquals(r1.runKey(), sweep(4288, 4, 30, 2, 5).plan(1, 10, 28).get(0).runKey(), "a run is the same run in another sweep");
    }

    @Test
    void residualSweepsUseBlockUnits() {
        EnergySweep r = new EnergySweep(51_248, 4, new int[] {1, 10, 10, 10}, "strict", 0, 3, 0, 2, "cifar10",
                TrainingRecipe.defaults(1));
        List<PlannedRun> plan = r.plan(3, 10, 32);
        assertEquals(5, plan.size());
        assertTrue(plan.get(0).model().startsWith("resnet:"), plan.get(0).model());
        assertTrue(plan.get(0).model().endsWith("/1,10,10,10"));
        assertTrue(r.title().contains("ResNet"));
    }

    @Test
    void impossibleBudgetsAreOneLineInputErrors() {
        InputException e = assertThrows(InputException.class, () -> sweep(5, 4, 32, 6, 0).plan(1, 10, 28));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(InputException.class, () -> sweep(4288, 4, 0, 0, 0));
        assertThrows(InputException.class, () -> new EnergySweep(4288, 3, new int[] {1, 2}, "strict", 0, 1, 0, 1, "x",
                TrainingRecipe.defaults(1)));
    }
}
