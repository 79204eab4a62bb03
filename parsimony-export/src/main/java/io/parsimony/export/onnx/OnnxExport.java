package io.parsimony.export.onnx;

import io.parsimony.InputException;
import io.parsimony.export.SavedRun;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.Transforms;
import onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code parsimony export --format onnx}: a run directory's network written as an ONNX file. */
public final class OnnxExport {

    /** How to write it: the opset, BatchNorm folded into convs, generated kernels materialised. */
    public record Options(int opset, boolean foldBatchNorm, boolean materialise) {
        public Options {
            OnnxWriter.checkOpset(opset);
        }

        /** The default opset, BatchNorm and generated kernels kept as they were trained: the file closest to the run. */
        public static Options defaults() {
            return new Options(OnnxWriter.DEFAULT_OPSET, false, false);
        }
    }

    private OnnxExport() {
    }

    /** The network after the options' rewrites (what the file holds). */
    public static Network prepare(Network net, Options o) {
        Network n = o.materialise() ? Transforms.materialise(net) : net;
        return o.foldBatchNorm() ? Transforms.foldBatchNorm(n) : n;
    }

    /** The ONNX model of {@code net} in memory, without writing a file. */
    public static ModelProto model(Network net, Options o) {
        return OnnxWriter.write(prepare(net, o), o.opset());
    }

    /** Writes {@code runDir}'s network to {@code out}; returns what was written. */
    public static Network export(Path runDir, Path out, Options o) {
        OnnxWriter.checkOpset(o.opset());
        try (SavedRun run = SavedRun.open(runDir)) {
            Network net = prepare(run.network(), o);
            write(OnnxWriter.write(net, o.opset()), out);
            return net;
        }
    }

    static void write(ModelProto model, Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream s = Files.newOutputStream(out)) {
                model.writeTo(s);
            }
        } catch (IOException e) {
            throw new InputException("cannot write " + out + ": " + e.getMessage());
        }
    }
}
