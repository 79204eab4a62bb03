package io.parsimony.export.graph;

import java.util.Arrays;

/**
 * A float tensor of a trained network as it leaves Parsimony. There is one object per distinct
 * parameter: layers that share a kernel hold the same {@code Tensor}, which is how a shared
 * kernel becomes one ONNX initializer and one PyTorch parameter. Identity, not content, is what
 * counts, so equals is the record's default over the array reference.
 *
 * @param name  a readable, unique name, e.g. "conv3.weight"
 * @param shape dimensions, row-major
 * @param data  values, length the product of {@code shape}
 */
public record Tensor(String name, long[] shape, float[] data) {

    public Tensor {
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, got " + data.length);
        }
    }

    public long size() {
        return data.length;
    }

    public int dim(int i) {
        return (int) shape[i];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
