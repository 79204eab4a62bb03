package io.parsimony.nn.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs the ops of a training step on the engine in float32 and compares each output and
 * gradient with {@link Reference} in double precision: conv forward, backward-data and
 * backward-weights, training-mode BatchNorm both ways, max-pool both ways, linear, cross-entropy
 * and the fused SGD update, with the batches in both memory formats the trainer uses. The grid
 * holds the shapes a faulty oneDNN was seen to get wrong (batch ≥ 2, out-channels 4, 8, 17, 40)
 * beside ones it gets right (16, 32), so a verdict says which case fails.
 *
 * <p>Gradients are taken with libtorch's autograd directly (grad mode on for the probe, then
 * restored), not through a DJL gradient collector: a probe may run inside a training step's
 * forward, where the step's collector is the one DJL allows.
 */
final class EngineCheck {

    /** Largest error allowed, relative to the largest magnitude of the reference tensor (float32 on ≤ 400-term sums: ~1e-6). */
    static final double TOLERANCE = 1e-4;

    private static final int CONV_IMAGE = 8;

    private final NDManager manager;
    private final InjectedFault fault;
    private final Random random = new Random(20261205L);

    EngineCheck(NDManager manager, InjectedFault fault) {
        this.manager = manager;
        this.fault = fault;
    }

    /** The grid's conv shapes: in-channels 1/3/16 × out-channels 4/8/17/40 and 16/32, plus a strided and a 1×1 conv. */
    static List<ConvShape> gridConvShapes() {
        List<ConvShape> shapes = new ArrayList<>();
        for (int in : new int[] {1, 3, 16}) {
            for (int out : new int[] {4, 8, 17, 40, 16, 32}) {
                shapes.add(ConvShape.same3x3(in, out));
            }
        }
        shapes.add(new ConvShape(16, 40, 3, 2, 1, 1, 1));
        shapes.add(new ConvShape(16, 17, 1, 1, 0, 1, 1));
        return shapes;
    }

    /** The whole grid with convs padded or not. */
    List<Finding> grid(boolean padConvs) {
        List<Finding> out = new ArrayList<>();
        for (ConvShape s : gridConvShapes()) {
            for (int batch : new int[] {2, 4}) {
                out.addAll(conv(s, batch, CONV_IMAGE, CONV_IMAGE, padConvs));
            }
        }
        for (MemoryFormat format : MemoryFormat.values()) {
            for (int c : new int[] {4, 17, 40}) {
                out.addAll(batchNorm(4, c, 6, format));
            }
            for (int c : new int[] {4, 17}) {
                out.addAll(maxPool(2, c, 8, format));
            }
        }
        out.addAll(linear(4, 40, 10));
        out.addAll(linear(4, 17, 5));
        out.addAll(crossEntropy(8, 10));
        out.addAll(sgd(40, 5e-4, 0.9));
        out.addAll(sgd(17, 0, 0.9));
        return out;
    }

    /** One conv shape on a batch of {@code n} images of h×w, in both memory formats: forward, backward-data, backward-weights. */
    List<Finding> conv(ConvShape s, int n, int h, int w, boolean padConvs) {
        List<Finding> out = new ArrayList<>();
        for (MemoryFormat format : MemoryFormat.values()) {
            out.addAll(conv(s, n, h, w, format, new ConvRoute(padConvs, false)));
        }
        return out;
    }

    /**
     * One conv shape in a network laid out in {@code format}, run by {@code route} exactly as
     * {@link Convolutions} runs it (the probe of a model's conv): forward, backward-data, backward-weights.
     */
    List<Finding> conv(ConvShape s, int n, int h, int w, MemoryFormat format, ConvRoute route) {
        int c = (int) s.in(), o = (int) s.out(), k = (int) s.kernel();
        float[] x = values(n * c * h * w), wt = values(o * c * k * k);
        int oh = (int) ((h + 2 * s.padding() - k) / s.stride() + 1), ow = (int) ((w + 2 * s.padding() - k) / s.stride() + 1);
        float[] g = values(n * o * oh * ow);
        Reference.ConvResult ref = Reference.conv2d(doubles(x), doubles(wt), doubles(g), n, c, h, w, o, k, (int) s.stride(),
                (int) s.padding());
        boolean padded = route.padOutputs() && o % Convolutions.MULTIPLE != 0;
        String where = "n" + n + " " + s + " @" + h + "×" + w + (padded ? " padded" : "") + " " + format.label()
                + (route.otherFormat() ? " via " + format.other().label() : "");
        try (NDManager m = manager.newSubManager()) {
            boolean before = gradMode(true);
            try {
                NDArray xa = leaf(m, x, new Shape(n, c, h, w));
                NDArray wa = leaf(m, wt, new Shape(o, c, k, k));
                NDArray y = Convolutions.conv2d(format.apply(xa), wa, null, new Shape(s.stride(), s.stride()),
                        new Shape(s.padding(), s.padding()), new Shape(s.dilation(), s.dilation()), s.groups(), format, route);
                float[] yv = fault.convOutput(s, route.otherFormat() ? format.other() : format, y.toFloatArray());
                backward(y.mul(m.create(g, y.getShape())).sum());
                float[] dx = fault.convInputGradient(s, route.padOutputs(), xa.getGradient().toFloatArray());
                return List.of(Finding.of("conv2d forward", where, yv, ref.y()),
                        Finding.of("conv2d backward-data", where, dx, ref.dx()),
                        Finding.of("conv2d backward-weights", where, wa.getGradient().toFloatArray(), ref.dw()));
            } finally {
                gradMode(before);
            }
        }
    }

    List<Finding> batchNorm(int n, int c, int hw, MemoryFormat format) {
        float[] x = values(n * c * hw * hw), gamma = values(c), beta = values(c), g = values(n * c * hw * hw);
        Reference.BatchNormResult ref = Reference.batchNorm(doubles(x), doubles(gamma), doubles(beta), doubles(g), n, c,
                hw * hw, 1e-5);
        String where = "n" + n + " c" + c + " @" + hw + "×" + hw + " " + format.label();
        try (NDManager m = manager.newSubManager()) {
            boolean before = gradMode(true);
            try {
                NDArray xa = leaf(m, x, new Shape(n, c, hw, hw));
                NDArray ga = leaf(m, gamma, new Shape(c));
                NDArray ba = leaf(m, beta, new Shape(c));
                NDArray y = BatchNorm.batchNorm(format.apply(xa), m.zeros(new Shape(c)), m.ones(new Shape(c)), ga, ba, 1,
                        0.9f, 1e-5f, true).singletonOrThrow();
                float[] yv = y.toFloatArray();
                backward(y.mul(m.create(g, y.getShape())).sum());
                return List.of(Finding.of("batchnorm forward", where, yv, ref.y()),
                        Finding.of("batchnorm backward-data", where, xa.getGradient().toFloatArray(), ref.dx()),
                        Finding.of("batchnorm backward-gamma", where, ga.getGradient().toFloatArray(), ref.dGamma()),
                        Finding.of("batchnorm backward-beta", where, ba.getGradient().toFloatArray(), ref.dBeta()));
            } finally {
                gradMode(before);
            }
        }
    }

    List<Finding> maxPool(int n, int c, int hw, MemoryFormat format) {
        float[] x = values(n * c * hw * hw), g = values(n * c * (hw / 2) * (hw / 2));
        Reference.Result ref = Reference.maxPool2(doubles(x), doubles(g), n, c, hw, hw);
        String where = "n" + n + " c" + c + " @" + hw + "×" + hw + " " + format.label();
        try (NDManager m = manager.newSubManager()) {
            boolean before = gradMode(true);
            try {
                NDArray xa = leaf(m, x, new Shape(n, c, hw, hw));
                NDArray y = Pool.maxPool2d(format.apply(xa), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                float[] yv = y.toFloatArray();
                backward(y.mul(m.create(g, y.getShape())).sum());
                return List.of(Finding.of("max-pool forward", where, yv, ref.y()),
                        Finding.of("max-pool backward", where, xa.getGradient().toFloatArray(), ref.dx()));
            } finally {
                gradMode(before);
            }
        }
    }

    List<Finding> linear(int n, int in, int out) {
        float[] x = values(n * in), w = values(out * in), b = values(out), g = values(n * out);
        Reference.LinearResult ref = Reference.linear(doubles(x), doubles(w), doubles(b), doubles(g), n, in, out);
        String where = "n" + n + " " + in + "→" + out;
        try (NDManager m = manager.newSubManager()) {
            boolean before = gradMode(true);
            try {
                NDArray xa = leaf(m, x, new Shape(n, in));
                NDArray wa = leaf(m, w, new Shape(out, in));
                NDArray ba = leaf(m, b, new Shape(out));
                NDArray y = Linear.linear(xa, wa, ba).singletonOrThrow();
                float[] yv = y.toFloatArray();
                backward(y.mul(m.create(g, y.getShape())).sum());
                return List.of(Finding.of("linear forward", where, yv, ref.y()),
                        Finding.of("linear backward-data", where, xa.getGradient().toFloatArray(), ref.dx()),
                        Finding.of("linear backward-weights", where, wa.getGradient().toFloatArray(), ref.dw()),
                        Finding.of("linear backward-bias", where, ba.getGradient().toFloatArray(), ref.db()));
            } finally {
                gradMode(before);
            }
        }
    }

    /** The loss as the trainer computes it (log-softmax, gather, mean), and its gradient. */
    List<Finding> crossEntropy(int n, int classes) {
        float[] z = values(n * classes);
        int[] labels = new int[n];
        long[] labelsLong = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
            labelsLong[i] = labels[i];
        }
        Reference.Result ref = Reference.crossEntropy(doubles(z), labels, classes);
        String where = "n" + n + " classes " + classes;
        try (NDManager m = manager.newSubManager()) {
            boolean before = gradMode(true);
            try {
                NDArray za = leaf(m, z, new Shape(n, classes));
                NDArray loss = za.logSoftmax(1).gather(m.create(labelsLong).reshape(-1, 1), 1).neg().mean();
                float[] lv = loss.toFloatArray();
                backward(loss);
                return List.of(Finding.of("cross-entropy forward", where, lv, ref.y()),
                        Finding.of("cross-entropy backward", where, za.getGradient().toFloatArray(), ref.dx()));
            } finally {
                gradMode(before);
            }
        }
    }

    /** The fused SGD step the trainer issues (weight and momentum state after one step). */
    List<Finding> sgd(int size, double decay, double momentum) {
        float[] w = values(size), g = values(size), v = values(size);
        double lr = 0.1;
        double[][] ref = Reference.sgd(doubles(w), doubles(g), doubles(v), lr, decay, momentum);
        String where = size + " values, decay " + decay + ", momentum " + momentum;
        try (NDManager m = manager.newSubManager()) {
            NDArray wa = m.create(w), ga = m.create(g), va = m.create(v);
            wa.getNDArrayInternal().sgdUpdate(new NDList(wa, ga, va), new NDList(wa), (float) lr, (float) decay, 1f, -1f,
                    (float) momentum, true);
            return List.of(Finding.of("sgd update weights", where, wa.toFloatArray(), ref[0]),
                    Finding.of("sgd update momentum", where, va.toFloatArray(), ref[1]));
        }
    }

    private float[] values(int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static NDArray leaf(NDManager m, float[] values, Shape shape) {
        NDArray a = m.create(values, shape);
        a.setRequiresGradient(true);
        return a;
    }

    /** Sets libtorch's (thread-local) grad mode; returns the previous one. */
    private static boolean gradMode(boolean on) {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        return before;
    }

    private static void backward(NDArray loss) {
        JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
    }

    /** The device probes run on. */
    Device device() {
        return manager.getDevice();
    }
}
