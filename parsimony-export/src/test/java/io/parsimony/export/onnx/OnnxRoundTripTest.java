package io.parsimony.export.onnx;

import io.parsimony.InputException;
import io.parsimony.export.SavedRun;
import io.parsimony.export.TrainedRuns;
import io.parsimony.export.graph.Network;
import io.parsimony.export.predict.OnnxModel;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime runs the exported files and must give Parsimony's logits on 100 real test images. */
class OnnxRoundTripTest {

    static final int IMAGES = 100;
    static final double TOLERANCE = 1e-4;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (ModelSpec s : new ModelSpec[] {TrainedRuns.PLAIN, TrainedRuns.RESNET, TrainedRuns.DACNN_MIX_REG,
                TrainedRuns.DACNN_GLOBAL, TrainedRuns.RESCALED, TrainedRuns.RESCALED_RESNET}) {
            for (boolean fold : new boolean[] {false, true}) {
                b.add(Arguments.of(s, fold, false));
            }
            if (s == TrainedRuns.RESCALED || s == TrainedRuns.RESCALED_RESNET) {
                b.add(Arguments.of(s, false, true));
                b.add(Arguments.of(s, true, true));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} fold={1} materialise={2}")
    @MethodSource("cases")
    void onnxRuntimeGivesParsimonysLogits(ModelSpec spec, boolean fold, boolean materialise, @TempDir Path tmp) {
        Path run = TrainedRuns.of(spec);
        Path file = tmp.resolve("net.onnx");
        float[] x = TrainedRuns.testPixels(IMAGES);
        float[] expected;
        try (SavedRun saved = SavedRun.open(run)) {
            expected = saved.logits(x, IMAGES);
        }
        OnnxExport.export(run, file, new OnnxExport.Options(OnnxWriter.DEFAULT_OPSET, fold, materialise));
        try (OnnxModel m = OnnxModel.open(file)) {
            float[] actual = m.logits(x, IMAGES);
            assertEquals(expected.length, actual.length);
            double worst = 0, scale = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            assertTrue(scale > 0.5, "logits should be far from zero after training, max |z| = " + scale);
            assertTrue(worst <= TOLERANCE, spec.describe() + ": max |Δlogit| = " + worst);
            assertEquals(TrainedRuns.CLASSES, m.classNames());
            assertEquals(28, m.height());
        }
    }

    @Test
    void aSharedKernelIsStoredOnceSoTheFileIsTheUniqueParametersTimesFour(@TempDir Path tmp) throws Exception {
        ModelSpec spec = TrainedRuns.DACNN_GLOBAL;
        Path run = TrainedRuns.of(spec);
        Path file = tmp.resolve("dacnn.onnx");
        Network net = OnnxExport.export(run, file, OnnxExport.Options.defaults());
        long unique;
        long everyUse;
        try (SavedRun saved = SavedRun.open(run)) {
            unique = io.parsimony.nn.train.Networks.trainable(savedBlock(saved)).stream()
                    .mapToLong(p -> p.getArray().size()).sum();
            everyUse = ((DacnnSpec) spec).unshared().analyticConvWeights();
        }
        // unique trainable values + BN running statistics (2 per BN channel) + 2 normalisation constants
        long bytes = Files.size(file);
        long payload = net.values() * 4;
        assertTrue(bytes >= payload && bytes < payload + 16_000, bytes + " bytes for " + net.values() + " values");
        assertTrue(net.values() < unique * 1.5, net.values() + " values, " + unique + " unique parameters");
        assertTrue(net.values() < everyUse, "the shared kernel must not be stored per use");
    }

    @Test
    void aRescaledNetIsWrittenAsOpsOverItsBaseTensorsUnlessMaterialised(@TempDir Path tmp) throws Exception {
        var spec = (io.parsimony.nn.model.RescaledSpec) TrainedRuns.RESCALED;
        Path run = TrainedRuns.of(spec);
        Network generated = OnnxExport.export(run, tmp.resolve("g.onnx"), OnnxExport.Options.defaults());
        Network materialised = OnnxExport.export(run, tmp.resolve("m.onnx"),
                new OnnxExport.Options(OnnxWriter.DEFAULT_OPSET, false, true));
        long kernels = generated.tensors().stream().filter(t -> t.name().matches("base\\d+\\.weight")).mapToLong(t -> t.size()).sum();
        long coefficients = generated.tensors().stream().filter(t -> t.name().startsWith("rep")).mapToLong(t -> t.size()).sum();
        assertEquals(spec.analyticConvWeights(), kernels, "the base network's conv weights, once");
        assertEquals(spec.coefficients(), coefficients);
        long scaledConv = spec.scaled().analyticConvWeights();
        assertTrue(materialised.values() > scaledConv, materialised.values() + " values hold every generated kernel");
        assertTrue(Files.size(tmp.resolve("g.onnx")) * 3 < Files.size(tmp.resolve("m.onnx")),
                Files.size(tmp.resolve("g.onnx")) + " vs " + Files.size(tmp.resolve("m.onnx")) + " bytes");
    }

    private static ai.djl.nn.Block savedBlock(SavedRun saved) {
        return saved.block();
    }

    @Test
    void unsupportedOpsetsAndMissingCheckpointsAreOneLineInputErrors(@TempDir Path tmp) {
        InputException opset = assertThrows(InputException.class, () -> new OnnxExport.Options(7, false, false));
        assertTrue(opset.getMessage().contains("13..21"), opset.getMessage());
        InputException none = assertThrows(InputException.class,
                () -> OnnxExport.export(tmp, tmp.resolve("x.onnx"), OnnxExport.Options.defaults()));
        assertTrue(none.getMessage().startsWith("no checkpoint"), none.getMessage());
        assertTrue(!none.getMessage().contains("\n"));
    }

    @Test
    void aCorruptOnnxFileIsOneLineInputError(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, new byte[] {8, 1, 18, 3, 'x', 'y'});
        InputException e = assertThrows(InputException.class, () -> OnnxModel.open(bad));
        assertTrue(e.getMessage().contains("not a valid ONNX model") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
