package io.parsimony.nn.model;

import io.parsimony.nn.engine.MemoryFormat;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.parsimony.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryFormatTest {

    @Test
    void channelsLastKeepsShapeAndValuesAndChangesStorage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            assertFalse(Layouts.isChannelsLast(x));
            NDArray cl = MemoryFormat.CHANNELS_LAST.apply(x);
            assertEquals(x.getShape(), cl.getShape());
            assertTrue(Layouts.isChannelsLast(cl));
            assertArrayEquals(x.toFloatArray(), cl.toFloatArray());
            assertFalse(Layouts.isChannelsLast(cl.reshape(6, 20).reshape(2, 3, 4, 5)), "a copy back to row-major is contiguous");
            assertTrue(Layouts.isChannelsLast(cl.mul(2)), "elementwise ops keep the layout");
        }
    }

    /** What {@link MemoryFormat#apply} promises to leave alone: anything under CONTIGUOUS, and non-4-d tensors. */
    @Test
    void contiguousAndNonBatchTensorsAreReturnedAsIs() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            assertSame(x, MemoryFormat.CONTIGUOUS.apply(x), "no copy in the default layout");
            NDArray cl = MemoryFormat.CHANNELS_LAST.apply(x);
            assertSame(cl, MemoryFormat.CONTIGUOUS.apply(cl), "CONTIGUOUS does not convert back");
            NDArray rows = m.arange(12f).reshape(3, 4);
            assertSame(rows, MemoryFormat.CHANNELS_LAST.apply(rows), "only (N, C, H, W) batches are converted");
        }
    }

    /**
     * One channel: the same bytes in both layouts, told apart only by strides; the batch gets channels-last
     * strides without a copy, so the first conv of a grey-image network answers channels-last (and row-major
     * from a row-major batch), with the same values.
     */
    @Test
    void oneChannelBatchMakesTheFirstConvAnswerChannelsLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(4, 1, 8, 8);
            NDArray x = m.randomNormal(shape);
            NDArray cl = MemoryFormat.CHANNELS_LAST.apply(x);
            assertEquals(x.getShape(), cl.getShape());
            assertArrayEquals(x.toFloatArray(), cl.toFloatArray());
            Block conv = Layers.convBnRelu(6, 3, 1);
            conv.initialize(m, DataType.FLOAT32, shape);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray fromRowMajor = conv.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray fromChannelsLast = conv.forward(ps, new NDList(cl), false).singletonOrThrow();
            // the conv runs in the network's layout, the one its kernel was checked in, whatever it is given
            boolean networkChannelsLast = MemoryFormat.forDevice(Device.cpu()) == MemoryFormat.CHANNELS_LAST;
            assertEquals(networkChannelsLast, Layouts.isChannelsLast(fromRowMajor));
            assertEquals(networkChannelsLast, Layouts.isChannelsLast(fromChannelsLast));
            float[] a = fromRowMajor.toFloatArray(), b = fromChannelsLast.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4, "element " + i);
            }
        }
    }

    /** force() puts a batch in the layout asked for from either layout (one channel too), values unchanged. */
    @Test
    void forcePutsABatchInTheLayoutAskedFor() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (long c : new long[] {1, 5, 40}) {
                NDArray x = m.randomNormal(new Shape(2, c, 6, 7));
                for (MemoryFormat from : MemoryFormat.values()) {
                    NDArray given = from.apply(x);
                    for (MemoryFormat to : MemoryFormat.values()) {
                        NDArray forced = to.force(given);
                        assertEquals(x.getShape(), forced.getShape());
                        assertArrayEquals(x.toFloatArray(), forced.toFloatArray(), from + " → " + to + ", c " + c);
                        if (c > 1) {
                            assertEquals(to == MemoryFormat.CHANNELS_LAST, Layouts.isChannelsLast(forced), from + " → " + to);
                        }
                    }
                }
            }
        }
    }

    /** The claim the format rests on: conv, BatchNorm, ReLU and max-pool keep a channels-last input channels-last. */
    @Test
    void convBlockKeepsChannelsLastAndItsValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block unit = new SequentialBlock().add(Layers.convBnRelu(5, 3, 1)).add(Pool.maxPool2dBlock(new Shape(2, 2)));
            Shape shape = new Shape(4, 3, 8, 8);
            unit.initialize(m, DataType.FLOAT32, shape);
            NDArray x = m.randomNormal(shape);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray rowMajor = unit.forward(ps, new NDList(x), true).singletonOrThrow();
            NDArray channelsLast = unit.forward(ps, new NDList(MemoryFormat.CHANNELS_LAST.apply(x)), true).singletonOrThrow();
            boolean networkChannelsLast = MemoryFormat.forDevice(Device.cpu()) == MemoryFormat.CHANNELS_LAST;
            assertEquals(networkChannelsLast, Layouts.isChannelsLast(rowMajor), "a conv answers in the network's layout");
            assertEquals(networkChannelsLast, Layouts.isChannelsLast(channelsLast));
            float[] a = rowMajor.toFloatArray(), b = channelsLast.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void settingIsReadAndCheckedAndAutoFollowsTheDevice() {
        String before = System.getProperty(MemoryFormat.PROPERTY);
        try {
            System.clearProperty(MemoryFormat.PROPERTY);
            if (System.getenv(MemoryFormat.ENVIRONMENT) == null) {
                assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormat.forDevice(Device.cpu()));
                assertEquals(MemoryFormat.CONTIGUOUS, MemoryFormat.forDevice(Device.gpu()));
            }
            System.setProperty(MemoryFormat.PROPERTY, "contiguous");
            assertEquals(MemoryFormat.CONTIGUOUS, MemoryFormat.forDevice(Device.cpu()));
            System.setProperty(MemoryFormat.PROPERTY, "channels-last");
            assertEquals(MemoryFormat.CHANNELS_LAST, MemoryFormat.forDevice(Device.gpu()));
            System.setProperty(MemoryFormat.PROPERTY, "nhwc");
            InputException e = assertThrows(InputException.class, () -> MemoryFormat.forDevice(Device.cpu()));
            assertTrue(e.getMessage().contains("auto, channels-last or contiguous"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(MemoryFormat.PROPERTY);
            } else {
                System.setProperty(MemoryFormat.PROPERTY, before);
            }
        }
    }
}
