package io.parsimony.export.predict;

import io.parsimony.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Classifies image files in batches and ranks the classes by softmax probability. */
public final class Predictor {

    private static final int BATCH = 256;

    private Predictor() {
    }

    public static List<Prediction> predict(Classifier model, List<Path> files, int top) {
        int classes = model.classNames().size();
        if (top < 1) {
            throw new InputException("--top must be at least 1, got " + top);
        }
        int k = Math.min(top, classes);
        int c = model.channels(), h = model.height(), w = model.width(), size = c * h * w;
        List<Prediction> out = new ArrayList<>();
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
            float[] x = new float[batch.size() * size];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(ImageFiles.read(batch.get(i), c, h, w), 0, x, i * size, size);
            }
            float[] z = model.logits(x, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                double[] p = softmax(z, i * classes, classes);
                List<Prediction.Ranked> ranked = IntStream.range(0, classes).boxed()
                        .sorted(Comparator.comparingDouble((Integer j) -> -p[j]).thenComparingInt(j -> j)).limit(k)
                        .map(j -> new Prediction.Ranked(j, model.classNames().get(j), p[j])).toList();
                out.add(new Prediction(batch.get(i).toString(), ranked));
            }
        }
        return out;
    }

    static double[] softmax(float[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, z[from + j]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(z[from + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < n; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
