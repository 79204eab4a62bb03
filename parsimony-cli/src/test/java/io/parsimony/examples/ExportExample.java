package io.parsimony.examples;

// tag::example[]
import io.parsimony.export.onnx.OnnxExport;
import io.parsimony.export.predict.OnnxModel;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;

import java.nio.file.Path;

/** A trained run written as ONNX and run with ONNX Runtime, as `parsimony export` and `parsimony predict --onnx` do. */
public final class ExportExample {

    /** Exports {@code runDir} (a finished TrainingRun) to {@code onnxFile}; returns its top-1 accuracy on 200 test images. */
    public static double exportAndClassify(Path runDir, Path onnxFile) {
        OnnxExport.export(runDir, onnxFile, OnnxExport.Options.defaults());
        ImageSet test = DataSets.load("fashion-mnist", Split.TEST).slice(0, 200);
        // the graph takes pixels in [0, 1], NCHW, and standardises them itself
        float[] pixels = new float[test.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (test.pixels()[i] & 0xFF) / 255f;
        }
        try (OnnxModel model = OnnxModel.open(onnxFile)) {
            int classes = model.classNames().size();
            float[] logits = model.logits(pixels, test.size());   // test.size() x classes, row-major
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    best = logits[i * classes + c] > logits[i * classes + best] ? c : best;
                }
                correct += best == test.labels()[i] ? 1 : 0;
            }
            return correct / (double) test.size();
        }
    }

    public static void main(String[] args) {
        double top1 = exportAndClassify(Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "model.onnx"));
        System.out.printf("ONNX Runtime, 200 test images: top-1 %.1f%%%n", 100 * top1);
    }
}
// end::example[]
