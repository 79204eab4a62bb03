package io.parsimony.nn.model;

import io.parsimony.nn.engine.MemoryFormat;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** PlainCnnSpec pools before its ReLU; that is only allowed because both orders agree, values and gradients. */
class PoolReluOrderTest {

    private static float[][] valueAndGradient(NDArray x0, NDArray upstream, UnaryOperator<NDArray> f) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x);
            gc.backward(y.mul(upstream).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
        }
    }

    @Test
    void maxPoolCommutesWithReluIncludingTiesAndAllNegativeWindows() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            // rounded values make ties and whole windows ≤ 0 common
            NDArray x = m.randomNormal(new Shape(3, 4, 8, 8)).mul(2).round();
            NDArray upstream = m.randomNormal(new Shape(3, 4, 4, 4));
            Shape k = new Shape(2, 2);
            float[][] reluThenPool = valueAndGradient(x, upstream, a -> Pool.maxPool2d(Activation.relu(a), k, k, new Shape(0, 0), false));
            float[][] poolThenRelu = valueAndGradient(x, upstream, a -> Activation.relu(Pool.maxPool2d(a, k, k, new Shape(0, 0), false)));
            assertArrayEquals(reluThenPool[0], poolThenRelu[0], 0f, "values (-0 and +0 count as equal)");
            assertArrayEquals(reluThenPool[1], poolThenRelu[1], 0f, "gradients");
            float[][] channelsLast = valueAndGradient(MemoryFormat.CHANNELS_LAST.apply(x), upstream,
                    a -> Activation.relu(Pool.maxPool2d(a, k, k, new Shape(0, 0), false)));
            assertArrayEquals(reluThenPool[0], channelsLast[0], 0f, "values, channels-last");
            assertArrayEquals(reluThenPool[1], channelsLast[1], 0f, "gradients, channels-last");
        }
    }
}
