package io.parsimony.cli.export;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.UserException;
import io.parsimony.export.graph.Network;
import io.parsimony.export.onnx.OnnxExport;
import io.parsimony.export.onnx.OnnxWriter;
import io.parsimony.export.pytorch.PyTorchExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Writes a run's trained network as an ONNX file, or as safetensors weights + a PyTorch module. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a trained run as ONNX (inference) or PyTorch (fine-tuning).",
        footer = {"%nExample:", "  parsimony export --run runs/plain4 --format onnx --fold-bn -o plain4.onnx"})
public final class ExportCommand implements Runnable {

    /** The file formats a run can be exported to. */
    public enum Format { onnx, pytorch }

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory holding checkpoint.bin.")
    Path run;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "onnx (a .onnx file) or pytorch (a folder: model.safetensors + parsimony_model.py). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--out"}, paramLabel = "PATH",
            description = "Where to write (default: DIR/model.onnx, or DIR/pytorch/ for --format pytorch).")
    Path out;

    @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxWriter.DEFAULT_OPSET,
            description = "ONNX opset, " + OnnxWriter.MIN_OPSET + ".." + OnnxWriter.MAX_OPSET + " (default ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--fold-bn", description = "ONNX: fold BatchNorm into the conv before it (a shared or generated kernel "
            + "keeps one tensor and gets a per-layer scale and shift instead).")
    boolean foldBn;

    @Option(names = "--materialise", description = "ONNX: write generated (learnable repetition) kernels as plain conv "
            + "weights instead of ops over the base tensors.")
    boolean materialise;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** What was written, for --json. */
    public record Written(String format, String path, long bytes, long values, String model, Integer opset,
                          boolean foldedBatchNorm, boolean materialised) {
    }

    @Override
    public void run() {
        if (format == Format.pytorch && (foldBn || materialise || spec.commandLine().getParseResult().hasMatchedOption("--opset"))) {
            throw new UserException("--fold-bn, --materialise and --opset apply to --format onnx; the PyTorch export keeps "
                    + "the training structure so it can be fine-tuned");
        }
        OnnxWriter.checkOpset(opset);
        Path target = out != null ? out : format == Format.onnx ? run.resolve("model.onnx") : run.resolve("pytorch");
        Network net;
        if (format == Format.onnx) {
            if (Files.isDirectory(target)) {
                throw new UserException(target + " is a folder; give --out a file name, e.g. " + target.resolve("model.onnx"));
            }
            net = OnnxExport.export(run, target, new OnnxExport.Options(opset, foldBn, materialise));
        } else {
            if (Files.exists(target) && !Files.isDirectory(target)) {
                throw new UserException(target + " is a file; the PyTorch export writes a folder, give --out a folder name");
            }
            net = PyTorchExport.export(run, target);
        }
        Written w = new Written(format.name(), target.toString(), bytes(target), net.values(), net.spec().describe(),
                format == Format.onnx ? opset : null, foldBn, materialise);
        PrintWriter o = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(o, w);
            return;
        }
        o.printf("wrote %s: %s bytes, %s values (%s)%s%n", target, Output.thousands(w.bytes()), Output.thousands(w.values()),
                w.model(), format == Format.onnx ? ", opset " + opset + (foldBn ? ", BatchNorm folded" : "")
                        + (materialise ? ", kernels materialised" : "") : "");
        o.flush();
    }

    private static long bytes(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
