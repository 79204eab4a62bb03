package io.parsimony.nn.train;

/**
 * Test-set figures: top-1/top-5 accuracy, mean loss, per-class accuracy and the confusion
 * matrix (rows = true class, columns = predicted class).
 */
public record Evaluation(int images, double top1, double top5, double loss, double[] perClassAccuracy, long[][] confusion) {

    static Evaluation of(long[][] confusion, long top5Hits, double lossSum) {
        int k = confusion.length;
        long total = 0, correct = 0;
        double[] perClass = new double[k];
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long v : confusion[t]) {
                row += v;
            }
            total += row;
            correct += confusion[t][t];
            perClass[t] = row == 0 ? Double.NaN : (double) confusion[t][t] / row;
        }
        return new Evaluation((int) total, (double) correct / total, (double) top5Hits / total, lossSum / total,
                perClass, confusion);
    }
}
