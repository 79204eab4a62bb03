package io.parsimony.nn.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's self-check: its grid is right on this host (or fails only where the known oneDNN
 * fault lies, and padding mends it), its double-precision reference is itself right (finite
 * differences), and an injected fault — the host's libtorch being right — is detected, mended by
 * padding, or refused when nothing mends it.
 */
class NumericsTest {

    /** The mode the suite runs with (a run with -Dparsimony.numerics=pad checks every family padded). */
    private final String suiteMode = System.getProperty(NumericsMode.PROPERTY);

    @AfterEach
    void restore() {
        System.clearProperty(InjectedFault.PROPERTY);
        System.clearProperty(io.parsimony.files.UserCache.PROPERTY);
        if (suiteMode == null) {
            System.clearProperty(NumericsMode.PROPERTY);
        } else {
            System.setProperty(NumericsMode.PROPERTY, suiteMode);
        }
        Numerics.reset();
    }

    @Test
    void gridFailsOnlyWhereTheKnownFaultLiesAndPassesPadded() {
        try (NDManager m = NDManager.newBaseManager()) {
            EngineCheck check = new EngineCheck(m, InjectedFault.NONE);
            List<Finding> asIs = check.grid(false);
            assertTrue(asIs.size() > 200, "the grid covers every op in both formats: " + asIs.size());
            for (Finding f : asIs) {
                assertTrue(f.passed() || (f.op().equals("conv2d backward-data") && !f.shape().contains("→16 ")
                        && !f.shape().contains("→32 ")), "unexpected failure: " + f);
            }
            for (Finding f : check.grid(true)) {
                assertTrue(f.passed(), "the padded grid must pass on every host: " + f);
            }
        }
    }

    @Test
    void referenceConvGradientsMatchFiniteDifferences() {
        Random r = new Random(1);
        int n = 2, c = 3, h = 5, w = 4, o = 2, k = 3;
        double[] x = gaussian(r, n * c * h * w), wt = gaussian(r, o * c * k * k), g = gaussian(r, n * o * 3 * 2);
        Reference.ConvResult base = Reference.conv2d(x, wt, g, n, c, h, w, o, k, 2, 1);
        double eps = 1e-6;
        for (int i = 0; i < x.length; i += 7) {
            double[] xp = x.clone();
            xp[i] += eps;
            double numeric = (dot(Reference.conv2d(xp, wt, g, n, c, h, w, o, k, 2, 1).y(), g) - dot(base.y(), g)) / eps;
            assertEquals(numeric, base.dx()[i], 1e-5, "dL/dx[" + i + "]");
        }
        for (int i = 0; i < wt.length; i += 5) {
            double[] wp = wt.clone();
            wp[i] += eps;
            double numeric = (dot(Reference.conv2d(x, wp, g, n, c, h, w, o, k, 2, 1).y(), g) - dot(base.y(), g)) / eps;
            assertEquals(numeric, base.dw()[i], 1e-5, "dL/dw[" + i + "]");
        }
    }

    @Test
    void referenceBatchNormGradientsMatchFiniteDifferences() {
        Random r = new Random(2);
        int n = 3, c = 2, hw = 4;
        double[] x = gaussian(r, n * c * hw), gamma = gaussian(r, c), beta = gaussian(r, c), g = gaussian(r, n * c * hw);
        Reference.BatchNormResult base = Reference.batchNorm(x, gamma, beta, g, n, c, hw, 1e-5);
        double eps = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] xp = x.clone();
            xp[i] += eps;
            double numeric = (dot(Reference.batchNorm(xp, gamma, beta, g, n, c, hw, 1e-5).y(), g) - dot(base.y(), g)) / eps;
            assertEquals(numeric, base.dx()[i], 1e-4, "dL/dx[" + i + "]");
        }
        double[] gp = gamma.clone();
        gp[1] += eps;
        assertEquals((dot(Reference.batchNorm(x, gp, beta, g, n, c, hw, 1e-5).y(), g) - dot(base.y(), g)) / eps,
                base.dGamma()[1], 1e-4);
    }

    @Test
    void aFindingFailsOnNaNAndOnLargeErrors() {
        double[] ref = {1, -2, 3};
        assertTrue(Finding.of("op", "s", new float[] {1, -2, 3}, ref).passed());
        assertFalse(Finding.of("op", "s", new float[] {1, Float.NaN, 3}, ref).passed());
        Finding off = Finding.of("op", "s", new float[] {1, -2, 3.01f}, ref);
        assertFalse(off.passed());
        assertEquals(0.01 / 3, off.maxError(), 1e-6);
    }

    /** The host's libtorch is right, so a corrupted input-gradient stands in for oneDNN's: found, and padding engages. */
    @Test
    void injectedConvFaultIsDetectedAndConvsPad() {
        System.setProperty(InjectedFault.PROPERTY, "conv-input-gradient");
        System.clearProperty(NumericsMode.PROPERTY);
        Numerics.reset();
        Numerics.Status s = Numerics.ensureChecked();
        assertEquals(Numerics.Verdict.REMEDIED, s.verdict());
        assertEquals(Remedy.PAD_CONV_OUTPUTS, s.remedy());
        assertTrue(s.failures() > 0 && s.failures() < s.checks(), s.summary());
        assertTrue(s.worst().startsWith("conv2d backward-data"), s.worst());
        ConvShape narrow = ConvShape.same3x3(3, 17);
        assertTrue(Numerics.route(narrow, MemoryFormat.CHANNELS_LAST, Device.cpu()).padOutputs(), "a conv of 17 out-channels runs padded");
        assertTrue(Numerics.verifiedShapes().contains(narrow), "the model's own shape was probed");
        // what the padded conv computes is the same function with the same gradients
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(4, 3, 8, 8));
            NDArray w = m.randomNormal(new Shape(17, 3, 3, 3));
            Shape one = new Shape(1, 1), pad = new Shape(1, 1);
            float[] plain = Convolutions.conv2d(x, w, null, one, pad, one, 1, false).toFloatArray();
            NDArray padded = Convolutions.conv2d(x, w, null, one, pad, one, 1);
            assertEquals(new Shape(4, 17, 8, 8), padded.getShape());
            assertArrayEquals(plain, padded.toFloatArray(), 1e-5f);
        }
    }

    /**
     * The route through the other layout runs the other layout's kernel: the same outputs and
     * gradients, within the check's tolerance, as calling the conv in that layout (the conversions
     * are exact; the kernel's rounding may differ with the copy's alignment).
     */
    @Test
    void theOtherFormatRouteComputesWhatTheOtherLayoutsKernelComputes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape one = new Shape(1, 1), same = new Shape(1, 1);
            for (MemoryFormat format : MemoryFormat.values()) {
                for (long[] io : new long[][] {{32, 32}, {48, 16}}) {   // right in both layouts on every host seen
                    NDArray x = m.randomNormal(new Shape(2, io[0], 8, 8));
                    NDArray w = m.randomNormal(new Shape(io[1], io[0], 3, 3));
                    float[][] routed = forwardBackward(m, x, w, (xa, wa) -> Convolutions.conv2d(format.apply(xa), wa, null, one,
                            same, one, 1, format, new ConvRoute(false, true)));
                    float[][] direct = forwardBackward(m, x, w, (xa, wa) -> Convolutions.conv2d(format.other().apply(xa), wa, null,
                            one, same, one, 1, false));
                    for (int i = 0; i < 3; i++) {
                        double[] expected = new double[direct[i].length];
                        for (int j = 0; j < expected.length; j++) {
                            expected[j] = direct[i][j];
                        }
                        Finding f = Finding.of("output " + i, format + " " + io[0] + "→" + io[1], routed[i], expected);
                        assertTrue(f.passed(), f.toString());
                    }
                }
            }
        }
    }

    /** Output, input-gradient and weight-gradient of conv(x, w) against a fixed upstream gradient. */
    private static float[][] forwardBackward(NDManager m, NDArray x0, NDArray w0, java.util.function.BinaryOperator<NDArray> conv) {
        try (NDManager sub = m.newSubManager();
             ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray x = x0.duplicate();
            x.attach(sub);
            x.setRequiresGradient(true);
            NDArray w = w0.duplicate();
            w.attach(sub);
            w.setRequiresGradient(true);
            NDArray y = conv.apply(x, w);
            NDArray upstream = sub.arange((float) y.size()).reshape(y.getShape()).mul(0.01f).sin();
            gc.backward(y.mul(upstream).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray()};
        }
    }

    /**
     * A host whose row-major conv kernel is wrong on 17–47 in-channels (seen on the AMD family 26 VM,
     * injected here, so on any host): the grid's in-channels (1, 3, 16) do not see it; the model's
     * row-major conv of 40 in-channels is probed, found wrong and routed through channels-last; its
     * channels-last twin and an aligned shape stay as they are, and the process's remedy is unchanged.
     */
    @Test
    void aConvWrongInOneLayoutRunsInTheOther() {
        System.setProperty(InjectedFault.PROPERTY, "contiguous-conv-forward");
        System.clearProperty(NumericsMode.PROPERTY);
        Numerics.reset();
        Remedy gridRemedy = Numerics.ensureChecked().remedy();
        assertEquals(new ConvRoute(false, true), Numerics.route(ConvShape.same3x3(40, 32), MemoryFormat.CONTIGUOUS, Device.cpu()));
        assertEquals(ConvRoute.AS_IS, Numerics.route(ConvShape.same3x3(40, 32), MemoryFormat.CHANNELS_LAST, Device.cpu()));
        assertEquals(ConvRoute.AS_IS, Numerics.route(ConvShape.same3x3(32, 32), MemoryFormat.CONTIGUOUS, Device.cpu()));
        assertEquals(gridRemedy, Numerics.ensureChecked().remedy(), "a format route is per shape, not a process remedy");

        System.setProperty(NumericsMode.PROPERTY, "strict");
        Numerics.reset();
        NumericsException e = assertThrows(NumericsException.class,
                () -> Numerics.route(ConvShape.same3x3(24, 16), MemoryFormat.CONTIGUOUS, Device.cpu()));
        assertTrue(e.getMessage().contains("--numerics strict"), e.getMessage());
    }

    @Test
    void aFaultNothingMendsIsRefused() {
        System.setProperty(InjectedFault.PROPERTY, "everything");
        System.clearProperty(NumericsMode.PROPERTY);
        Numerics.reset();
        NumericsException e = assertThrows(NumericsException.class, Numerics::ensureChecked);
        assertTrue(e.getMessage().contains("ONEDNN_MAX_CPU_ISA=SSE41"), e.getMessage());
        assertTrue(e.getMessage().contains("conv2d backward-data"), e.getMessage());
    }

    @Test
    void strictRefusesTheFallback() {
        System.setProperty(InjectedFault.PROPERTY, "conv-input-gradient");
        System.setProperty(NumericsMode.PROPERTY, "strict");
        Numerics.reset();
        NumericsException e = assertThrows(NumericsException.class, Numerics::ensureChecked);
        assertTrue(e.getMessage().contains("--numerics strict"), e.getMessage());
    }

    @Test
    void offAndPadSkipTheCheck() {
        System.setProperty(NumericsMode.PROPERTY, "off");
        Numerics.reset();
        Numerics.Status off = Numerics.ensureChecked();
        assertEquals(Numerics.Verdict.NOT_CHECKED, off.verdict());
        assertFalse(Numerics.route(ConvShape.same3x3(3, 17), MemoryFormat.CHANNELS_LAST, Device.cpu()).padOutputs());
        System.setProperty(NumericsMode.PROPERTY, "pad");
        Numerics.reset();
        assertTrue(Numerics.route(ConvShape.same3x3(3, 17), MemoryFormat.CHANNELS_LAST, Device.cpu()).padOutputs());
        assertEquals(Remedy.PAD_CONV_OUTPUTS, Numerics.ensureChecked().remedy());
    }

    @Test
    void theVerdictIsCachedPerHost(@TempDir Path cache) throws Exception {
        System.setProperty(io.parsimony.files.UserCache.PROPERTY, cache.toString());
        System.clearProperty(NumericsMode.PROPERTY);
        Numerics.reset();
        Numerics.Status first = Numerics.ensureChecked();
        assertFalse(first.cached());
        assertTrue(first.seconds() > 0);
        Path dir = cache.resolve("parsimony").resolve("numerics");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "one file for this host");
        }
        Numerics.route(ConvShape.same3x3(5, 7), MemoryFormat.CHANNELS_LAST, Device.cpu()).padOutputs();
        Numerics.reset();
        Numerics.Status second = Numerics.ensureChecked();
        assertTrue(second.cached());
        assertEquals(first.verdict(), second.verdict());
        assertEquals(first.checks(), second.checks());
        assertTrue(Numerics.verifiedShapes().contains(ConvShape.same3x3(5, 7)), "probed shapes are remembered");
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
