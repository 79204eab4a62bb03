package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.util.NativeResource;

import java.lang.reflect.Method;

/**
 * How a tensor is stored, for tests: libtorch's contiguity flag, which DJL keeps internal
 * ({@code PyTorchLibrary.torchIsContiguous}). A 4-d tensor that is not row-major contiguous is,
 * in these tests, channels-last.
 */
final class Layouts {
    private Layouts() {
    }

    static boolean isChannelsLast(NDArray x) {
        return x.getShape().dimension() == 4 && !isContiguous(x);
    }

    private static boolean isContiguous(NDArray x) {
        try {
            Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            var instance = lib.getDeclaredField("LIB");
            instance.setAccessible(true);
            Method flag = lib.getDeclaredMethod("torchIsContiguous", long.class);
            flag.setAccessible(true);
            long handle = (Long) ((NativeResource<?>) x).getHandle();
            return (boolean) flag.invoke(instance.get(null), handle);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read libtorch's contiguity flag: " + e, e);
        }
    }
}
