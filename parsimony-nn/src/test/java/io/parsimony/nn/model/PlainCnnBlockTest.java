package io.parsimony.nn.model;

import io.parsimony.nn.engine.MemoryFormat;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.parsimony.layout.Layout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel padding changes how a plain CNN runs, never what it computes. */
class PlainCnnBlockTest {

    /** Logits (train step), every parameter's gradient, running statistics, then logits in eval mode. */
    private static List<float[]> step(PlainCnnSpec spec, ChannelPadding padding, NDArray images, float[] upstream) {
        NDManager m = images.getManager();
        Engine.getInstance().setRandomSeed(21);
        Block net = spec.build(padding);
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                Parameter.Type.WEIGHT);
        net.initialize(m, DataType.FLOAT32, images.getShape());
        ParameterStore store = new ParameterStore(m, false);
        List<float[]> out = new ArrayList<>();
        try (NDManager batch = m.newSubManager()) {
            NDArray x = MemoryFormat.CHANNELS_LAST.apply(images.duplicate());
            x.attach(batch);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
                out.add(logits.toFloatArray());
                gc.backward(logits.mul(batch.create(upstream, logits.getShape())).sum());
            }
            for (var p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                out.add(a.hasGradient() && p.getValue().requiresGradient() ? a.getGradient().toFloatArray() : a.toFloatArray());
            }
            out.add(net.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray());
        }
        return out;
    }

    @Test
    void paddedNetworkMatchesTheUnpaddedOneInValuesGradientsAndStatistics() {
        Assumptions.assumeTrue(ChannelPadding.AUTO.appliesTo(Device.cpu()),
                "channel padding is off here (memory format not channels-last), so there is nothing to compare");
        // odd widths: 5 → 16 and 21 → 32 are padded, the last conv (7) feeds the head unpadded
        PlainCnnSpec spec = PlainCnnSpec.of(Layout.of(5, 21, 7), 3, 10, 16);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray images = m.randomNormal(new Shape(12, 3, 16, 16));
            float[] upstream = m.randomNormal(new Shape(12, 10)).toFloatArray();
            List<float[]> plain = step(spec, ChannelPadding.OFF, images, upstream);
            List<float[]> padded = step(spec, ChannelPadding.AUTO, images, upstream);
            assertEquals(plain.size(), padded.size(), "same parameters in the same order");
            for (int i = 0; i < plain.size(); i++) {
                float[] a = plain.get(i), b = padded.get(i);
                assertEquals(a.length, b.length, "tensor " + i + " keeps its real shape");
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-4f * Math.max(1f, Math.abs(a[j])), "tensor " + i + " element " + j);
                }
            }
        }
    }

    @Test
    void hiddenConvsRunPaddedToMultiplesOf16OnChannelsLastDevices() {
        PlainCnnSpec spec = PlainCnnSpec.of(Layout.of(5, 21, 7), 3, 10, 16);
        Block net = spec.build(ChannelPadding.AUTO);
        PlainCnnBlock block = assertInstanceOf(PlainCnnBlock.class, net);
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 16, 16));
            try (NDManager batch = m.newSubManager()) {
                net.forward(new ParameterStore(m, false), new NDList(batch.randomNormal(new Shape(2, 3, 16, 16))), false);
            }
        }
        boolean channelsLast = MemoryFormat.forDevice(Device.cpu()) == MemoryFormat.CHANNELS_LAST;
        assertArrayEquals(channelsLast ? new int[] {16, 32, 7} : new int[0], block.lastConvWidths());
        assertTrue(ChannelPadding.padded(48) == 48 && ChannelPadding.padded(49) == 64 && ChannelPadding.padded(1) == 16);
    }
}
