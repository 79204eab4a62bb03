package io.parsimony.cli.layout;

import io.parsimony.balance.Backbone;
import io.parsimony.balance.BalancedDistribution;
import io.parsimony.balance.BlockKind;
import io.parsimony.balance.Stage;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.cli.output.UserException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seed 000's guideline: the same conv-parameter count spread evenly over the stages. */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = "Balanced parameter distribution (seed 000): same count, equal per-stage shares.")
public final class BalanceCommand implements Runnable {

    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME", required = true,
                description = "alexnet, resnet34 or resnet101 (torchvision stage widths).")
        String preset;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Custom custom;
    }

    static final class Custom {
        @Option(names = "--widths", split = ",", required = true, paramLabel = "W1,W2,..", description = "Stage widths.")
        int[] widths;

        @Option(names = "--blocks", split = ",", required = true, paramLabel = "B1,B2,..", description = "Blocks per stage.")
        int[] blocks;

        @Option(names = "--block", defaultValue = "basic", paramLabel = "conv|basic|bottleneck",
                description = "Block kind of every stage (default: ${DEFAULT-VALUE}).")
        String block;

        @Option(names = "--stage-kernel", defaultValue = "3", paramLabel = "K", description = "Kernel of the stages (default: ${DEFAULT-VALUE}).")
        int kernel;

        @Option(names = "--stem", defaultValue = "0", paramLabel = "WIDTH", description = "Width of a fixed stem conv (0 = none).")
        int stem;

        @Option(names = "--stem-kernel", defaultValue = "7", paramLabel = "K", description = "Kernel of the stem conv (default: ${DEFAULT-VALUE}).")
        int stemKernel;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    private record StageRow(String stage, String kind, int blocks, boolean fixed, int originalWidth, long originalWeights,
                            double originalShare, int balancedWidth, long balancedWeights, double balancedShare) {
    }

    @Override
    public void run() {
        Backbone original = source.preset != null ? Backbone.preset(source.preset) : custom(source.custom);
        Backbone balanced = BalancedDistribution.balance(original);
        long[] w0 = original.stageWeights(), w1 = balanced.stageWeights();
        long t0 = original.totalWeights(), t1 = balanced.totalWeights();
        List<StageRow> rows = new ArrayList<>();
        for (int s = 0; s < w0.length; s++) {
            Stage st = original.stages().get(s);
            rows.add(new StageRow(st.name(), st.kind().name().toLowerCase(), st.blocks(), st.fixed(), st.width(), w0[s],
                    (double) w0[s] / t0, balanced.stages().get(s).width(), w1[s], (double) w1[s] / t1));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("backbone", original.name());
            doc.put("stages", rows);
            doc.put("originalWeights", t0);
            doc.put("balancedWeights", t1);
            doc.put("relativeDifference", (double) (t1 - t0) / t0);
            doc.put("originalLogEnergy", original.logEnergy());
            doc.put("balancedLogEnergy", balanced.logEnergy());
            Output.writeJson(out, doc);
            return;
        }
        out.printf("%s: conv weights only (no BatchNorm, no classifier); fixed stages keep their width%n", original.name());
        Output.writeTable(out, rows,
                Col.left("stage", r -> r.stage() + (r.fixed() ? " (fixed)" : "")),
                Col.left("block", r -> r.blocks() + " x " + r.kind()),
                Col.right("width", r -> String.valueOf(r.originalWidth())),
                Col.right("weights", r -> Output.thousands(r.originalWeights())),
                Col.right("share", r -> String.format("%.1f%%", 100 * r.originalShare())),
                Col.right("balanced width", r -> String.valueOf(r.balancedWidth())),
                Col.right("weights ", r -> Output.thousands(r.balancedWeights())),
                Col.right("share ", r -> String.format("%.1f%%", 100 * r.balancedShare())));
        out.printf("total: %s -> %s weights (%+.3f%%)%n", Output.thousands(t0), Output.thousands(t1), 100.0 * (t1 - t0) / t0);
        out.printf("energy (one ln(width) factor per main-path conv): original %s, balanced %s%n",
                Output.energy(original.logEnergy()), Output.energy(balanced.logEnergy()));
        out.flush();
    }

    private static Backbone custom(Custom c) {
        BlockKind kind = BlockKind.parse(c.block);
        if (c.stem < 0) {
            throw new UserException("--stem must be a width ≥ 1, or 0 for none; got " + c.stem);
        }
        return Backbone.custom(kind, c.widths, c.blocks, c.kernel, c.stem, c.stemKernel);
    }
}
