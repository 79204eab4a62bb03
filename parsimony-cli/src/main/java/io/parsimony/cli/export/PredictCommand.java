package io.parsimony.cli.export;

import io.parsimony.cli.output.Output;
import io.parsimony.export.SavedRun;
import io.parsimony.export.predict.Classifier;
import io.parsimony.export.predict.ImageFiles;
import io.parsimony.export.predict.OnnxModel;
import io.parsimony.export.predict.Prediction;
import io.parsimony.export.predict.Predictor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Classifies image files with a run's network or an exported ONNX file. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify image files with a trained run or an ONNX file.",
                "Images are used as in training: pixel values / 255, then the training mean and deviation; no resizing "
                        + "and no colour conversion, so they must have the network's size and channel count "
                        + "(grey for 1 channel, RGB for 3; alpha is ignored)."},
        footer = {"%nExample:", "  parsimony predict --run runs/plain4 --top 3 shirt.png boot.png"})
public final class PredictCommand implements Runnable {

    /** Exactly one model source. */
    static final class Source {
        @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory holding checkpoint.bin.")
        Path run;

        @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "An ONNX file (as written by export).")
        Path onnx;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF) or folders of them.")
    List<Path> images;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (top < 1) {
            throw new io.parsimony.cli.output.UserException("--top must be at least 1, got " + top);
        }
        List<Path> files = ImageFiles.expand(images);
        List<Prediction> predictions;
        try (Classifier model = source.run != null ? SavedRun.open(source.run) : OnnxModel.open(source.onnx)) {
            predictions = Predictor.predict(model, files, top);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, predictions);
            return;
        }
        for (Prediction p : predictions) {
            out.println(p.image() + ": " + p.top().stream()
                    .map(r -> String.format("%s %.1f%%", r.name(), 100 * r.probability()))
                    .collect(Collectors.joining(", ")));
        }
        out.flush();
    }
}
