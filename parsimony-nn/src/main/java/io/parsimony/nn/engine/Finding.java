package io.parsimony.nn.engine;

/**
 * One line of the numerics check: an op (and which of its outputs), the shape it ran on, the
 * largest error against the double-precision reference relative to the reference's largest
 * magnitude, and whether that is within {@link EngineCheck#TOLERANCE}. NaN anywhere fails.
 */
public record Finding(String op, String shape, double maxError, boolean passed) {

    static Finding of(String op, String shape, float[] engine, double[] reference) {
        double scale = 0;
        for (double r : reference) {
            scale = Math.max(scale, Math.abs(r));
        }
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            double e = Math.abs(engine[i] - reference[i]);
            worst = Double.isNaN(e) || e > worst ? e : worst;
            if (Double.isNaN(worst)) {
                break;
            }
        }
        double relative = engine.length != reference.length ? Double.NaN : worst / Math.max(scale, Double.MIN_NORMAL);
        return new Finding(op, shape, relative, relative <= EngineCheck.TOLERANCE);
    }
}
