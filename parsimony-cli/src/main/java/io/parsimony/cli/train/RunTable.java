package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.energy.Energy;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingRun;

import java.io.PrintWriter;
import java.util.List;

/** The comparison table of finished runs: what was trained, its size and energy, how well it did, how long it took. */
final class RunTable {
    private RunTable() {
    }

    record Entry(String role, TrainingRun.Result result) {
    }

    static double energy(TrainingRun.Result r) {
        if (r.spec() instanceof PlainCnnSpec p) {
            return Energy.of(p.layout());
        }
        if (r.spec() instanceof BlockResNetSpec b) {
            return Energy.of(b.layout());
        }
        return Double.NaN;
    }

    static void print(PrintWriter out, List<Entry> entries) {
        Output.writeTable(out, entries,
                Col.left("", Entry::role),
                Col.left("model", e -> e.result().model()),
                Col.right("conv weights", e -> Output.thousands(e.result().convWeights())),
                Col.right("parameters", e -> Output.thousands(e.result().parameters())),
                Col.right("energy", e -> Output.fixed(energy(e.result()), 2)),
                Col.right("epochs", e -> String.valueOf(e.result().epochs())),
                Col.right("test top-1", e -> String.format("%.2f%%", 100 * e.result().test().top1())),
                Col.right("top-5", e -> String.format("%.2f%%", 100 * e.result().test().top5())),
                Col.right("train time", e -> String.format("%.0f s", e.result().trainSeconds())));
    }
}
