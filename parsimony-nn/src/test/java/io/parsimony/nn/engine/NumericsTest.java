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
        assertTrue(Numerics.padsConv(narrow, Device.cpu()), "a conv of 17 out-channels runs padded");
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
        assertFalse(Numerics.padsConv(ConvShape.same3x3(3, 17), Device.cpu()));
        System.setProperty(NumericsMode.PROPERTY, "pad");
        Numerics.reset();
        assertTrue(Numerics.padsConv(ConvShape.same3x3(3, 17), Device.cpu()));
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
        Numerics.padsConv(ConvShape.same3x3(5, 7), Device.cpu());
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
