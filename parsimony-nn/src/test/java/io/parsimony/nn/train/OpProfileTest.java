package io.parsimony.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpProfileTest {

    @Test
    void selfTimeSubtractsNestedOpsPerThread(@TempDir Path dir) throws Exception {
        // conv2d 0–10 µs holds convolution 1–9 µs, which holds mkldnn_convolution 2–8 µs; on another
        // thread a relu overlaps in time but is not nested in them.
        Path trace = dir.resolve("t.json");
        Files.writeString(trace, """
                {"traceEvents": [
                  {"ph": "X", "name": "aten::conv2d", "ts": 0, "dur": 10, "pid": 1, "tid": 1},
                  {"ph": "X", "name": "aten::convolution", "ts": 1, "dur": 8, "pid": 1, "tid": 1},
                  {"ph": "X", "name": "aten::mkldnn_convolution", "ts": 2, "dur": 6, "pid": 1, "tid": 1},
                  {"ph": "X", "name": "aten::relu", "ts": 3, "dur": 4, "pid": 1, "tid": 2},
                  {"ph": "X", "name": "aten::relu", "ts": 12, "dur": 1.5, "pid": 1, "tid": 1},
                  {"ph": "i", "name": "marker", "ts": 5, "pid": 1, "tid": 1}
                ]}""");
        Map<String, OpProfile.OpTime> ops = OpProfile.read(trace).stream()
                .collect(Collectors.toMap(OpProfile.OpTime::name, Function.identity()));
        assertEquals(0.006, ops.get("aten::mkldnn_convolution").selfMs(), 1e-9);
        assertEquals(0.002, ops.get("aten::convolution").selfMs(), 1e-9);
        assertEquals(0.002, ops.get("aten::conv2d").selfMs(), 1e-9);
        assertEquals(0.0055, ops.get("aten::relu").selfMs(), 1e-9);
        assertEquals(2, ops.get("aten::relu").calls());
        assertEquals(4, ops.size(), "instant events are not ops");
    }

    @Test
    void keepsOnlyOpsAndExactTimesOfAKinetoTrace(@TempDir Path dir) throws Exception {
        // kineto: absolute µs timestamps near 1.7e15, a whole-window span, an optimizer annotation, and a
        // child whose rounded end overhangs its parent by 0.5 µs
        Path trace = dir.resolve("k.json");
        Files.writeString(trace, """
                {"traceEvents": [
                  {"ph": "X", "cat": "Trace", "name": "PyTorch Profiler (0)", "ts": 1700000000000000.0, "dur": 100, "pid": "Spans", "tid": "PyTorch Profiler"},
                  {"ph": "X", "cat": "user_annotation", "name": "Optimizer.step#SGD.step", "ts": 1700000000000050.0, "dur": 20, "pid": 7, "tid": 7},
                  {"ph": "X", "cat": "cpu_op", "name": "aten::add_", "ts": 1700000000000055.25, "dur": 4.5, "pid": 7, "tid": 7},
                  {"ph": "X", "cat": "cpu_op", "name": "aten::convolution", "ts": 1700000000000010.0, "dur": 10, "pid": 7, "tid": 7},
                  {"ph": "X", "cat": "cpu_op", "name": "aten::mkldnn_convolution", "ts": 1700000000000012.0, "dur": 8.5, "pid": 7, "tid": 7},
                  {"ph": "X", "cat": "cpu_op", "name": "aten::relu", "ts": 1700000000000020.25, "dur": 1, "pid": 7, "tid": 7}
                ]}""");
        Map<String, OpProfile.OpTime> ops = OpProfile.read(trace).stream()
                .collect(Collectors.toMap(OpProfile.OpTime::name, Function.identity()));
        assertEquals(java.util.Set.of("aten::add_", "aten::convolution", "aten::mkldnn_convolution", "aten::relu"), ops.keySet());
        assertEquals(0.0045, ops.get("aten::add_").selfMs(), 1e-12, "quarter-µs timestamps survive");
        assertEquals(0.0085, ops.get("aten::mkldnn_convolution").selfMs(), 1e-12);
        assertEquals(0.002, ops.get("aten::convolution").selfMs(), 1e-12, "charged for the 8 µs overlap only");
        assertEquals(0.001, ops.get("aten::relu").selfMs(), 1e-12, "starts inside the overhang, yet is no child of the conv");
    }

    @Test
    void profilesARealTrainingStep(@TempDir Path dir) throws Exception {
        ImageSet data = FashionSlice.train().slice(0, 64);
        var spec = PlainCnnSpec.of(Layout.of(8, 12), 1, 10, 28);
        Path trace = dir.resolve("step.json");
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            TrainingStep step = new TrainingStep(b, m, OptimizerKind.SGD, 0.9, 5e-4);
            List<io.parsimony.nn.data.Batch> batches = new java.util.ArrayList<>();
            new BatchLoader(data, Normalization.of(data), Augmentation.NONE, 64).forEachInOrder(batches::add);
            float[] x = batches.get(0).images();
            int[] y = batches.get(0).labels();
            OpProfile.start();
            long t0 = System.nanoTime();
            step.forwardBackward(x, y, new Shape(64, 1, 28, 28));
            step.update(0.01);
            double wallMs = (System.nanoTime() - t0) / 1e6;
            OpProfile.stop(trace);
            List<OpProfile.OpTime> ops = OpProfile.read(trace);
            List<String> names = ops.stream().map(OpProfile.OpTime::name).toList();
            assertTrue(names.stream().anyMatch(n -> n.contains("convolution_backward")), names::toString);
            assertTrue(names.stream().anyMatch(n -> n.contains("batch_norm")), names::toString);
            double selfSum = ops.stream().mapToDouble(OpProfile.OpTime::selfMs).sum();
            assertTrue(selfSum > 0 && selfSum <= wallMs * 1.05 + 1, "self times " + selfSum + " ms within the step's " + wallMs + " ms");
        }
    }
}
