package io.parsimony.cli.bench;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.nn.bench.TorchReference;
import io.parsimony.nn.bench.TrainBench;
import io.parsimony.nn.bench.TrainBench.Op;
import io.parsimony.nn.bench.TrainBench.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bench train}: training throughput beside PyTorch eager in the same run, measured by
 * {@link TrainBench} (which says how); this command parses, calls and prints.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training images/s of plain4, dacnn14, resnet32, fmnist4 beside PyTorch eager (same run), and the loader alone.")
public final class TrainBenchCommand implements Runnable {

    @Option(names = "--arch", split = ",", description = "Subset of plain4,dacnn14,resnet32,fmnist4 (default: all).")
    List<String> archs;

    @Option(names = "--model", split = ",(?=[a-z])", paramLabel = "SPEC",
            description = "Also (or, without --arch, only) time these models on 3x32x32 inputs, e.g. resnet:19,34,41,49/1,10,10,10 "
                    + "(no PyTorch reference: the script builds only its own architectures).")
    List<String> models;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}, as the script).")
    int batch;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Alternate Parsimony and PyTorch this many times per arch; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads for both (0 = all cores).")
    int threads;

    @Option(names = "--reference", paramLabel = "SCRIPT", description = "torch_reference.py (default: shared/bench/ beside the installation).")
    Path reference;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-reference", description = "Skip the PyTorch side.")
    boolean noReference;

    @Option(names = "--reference-allocator", defaultValue = "stock", paramLabel = "stock|same",
            description = "Run PyTorch with its stock allocator (default) or with this process's LD_PRELOAD/MALLOC_CONF.")
    String referenceAllocator;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "After the rounds, profile one more run of each side op by op (libtorch's profiler; torch.profiler for "
                    + "the reference), write the Chrome traces to DIR and print self time per op and step.")
    Path profile;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        TrainBench bench = new TrainBench(batch, steps, warmup, rounds, threads, profile);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, TrainBench.Arch> selected = TrainBench.select(archs, models);
        TorchReference torch = noReference || !TrainBench.referenced(selected) ? null
                : new TorchReference(python, TorchReference.findScript(reference), referenceAllocator);
        TrainBench.Result result = bench.run(selected, torch, new TrainBench.Listener() {
            @Override
            public void round(String arch, int round, int rounds, double ours, Double theirs, Double ratio) {
                if (!output.json()) {
                    out.printf("%s round %d/%d: parsimony %,.0f images/s%s%n", arch, round + 1, rounds, ours,
                            theirs == null ? "" : String.format(", pytorch %,.0f images/s, ratio %.2fx", theirs, ratio));
                    out.flush();
                }
            }

            @Override
            public void profiled(TrainBench.Profile p) {
                if (!output.json()) {   // in JSON the traces are written; the table would break the document
                    printProfile(out, p);
                }
            }
        });
        if (output.json()) {
            Output.writeJson(out, Map.of("rows", result.rows(), "loaderImagesPerSecond", result.loaderImagesPerSecond(),
                    "threads", result.threads(), "cpu", result.cpu()));
            return;
        }
        Output.writeTable(out, result.rows(),
                Col.left("arch", Row::arch),
                Col.right("parsimony img/s", r -> Output.fixed(r.parsimonyImagesPerSecond(), 0)),
                Col.right("ms/step", r -> Output.fixed(r.parsimonyMsPerStep(), 1)),
                Col.right("pytorch img/s", r -> r.torchImagesPerSecond() == null ? "-" : Output.fixed(r.torchImagesPerSecond(), 0)),
                Col.right("ms/step ", r -> r.torchMsPerStep() == null ? "-" : Output.fixed(r.torchMsPerStep(), 1)),
                Col.right("ratio", r -> r.ratio() == null ? "-" : String.format("%.2fx", r.ratio())),
                Col.right("ratio range", r -> r.ratio() == null ? "-" : String.format("%.2f-%.2f", r.ratioLow(), r.ratioHigh())));
        out.printf("batch %d, %d timed steps after %d warm-up, %d intra-op threads, medians of %d alternating rounds; "
                + "memory format %s; loader alone: %,.0f images/s (3x32x32, crop+flip)%n",
                batch, steps, warmup, result.threads(), rounds, result.memoryFormat(), result.loaderImagesPerSecond());
        out.printf("cpu: %s%n", result.cpu());
        out.printf("allocator: parsimony %s; pytorch %s%n", TrainBench.allocator(),
                "same".equalsIgnoreCase(referenceAllocator) ? "the same" : "stock (glibc malloc)");
        out.flush();
    }

    /** Self time per step of the ops that take most on either side, ours beside PyTorch's. */
    private static void printProfile(PrintWriter out, TrainBench.Profile p) {
        record OpRow(String op, String ours, String theirs, String calls) {
        }
        List<OpRow> rows = new ArrayList<>();
        for (Op op : p.ops()) {
            rows.add(new OpRow(op.name(), op.oursMs() == null ? "-" : Output.fixed(op.oursMs(), 2),
                    op.theirsMs() == null ? "-" : Output.fixed(op.theirsMs(), 2),
                    (op.oursCalls() == null ? "-" : String.valueOf(op.oursCalls())) + " / "
                            + (op.theirsCalls() == null ? "-" : String.valueOf(op.theirsCalls()))));
        }
        rows.add(new OpRow("all ops", Output.fixed(p.oursMs(), 2), p.theirsMs() == null ? "-" : Output.fixed(p.theirsMs(), 2), ""));
        out.printf("%s: self time per step (ms), profiled; traces in %s%n", p.name(), p.dir());
        Output.writeTable(out, rows, Col.left("op", OpRow::op), Col.right("parsimony", OpRow::ours),
                Col.right("pytorch", OpRow::theirs), Col.right("calls/step", OpRow::calls));
        out.flush();
    }
}
