package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.parsimony.nn.engine.Convolutions;

/**
 * A conv whose out×in×k×k kernel is generated from a smaller base kernel (baseOut×baseIn×k×k)
 * by learnable repetition (seed 004): the target is covered by tiles, tile (a, b) is the base
 * kernel rotated by 90°·t (t = repetition + a·tilesIn + b, so repeated copies differ, as the
 * rotated filters of a group-equivariant CNN do) and scaled by its own learnable coefficient;
 * the tiling is cropped to out×in. Without {@code rotate} every tile is the unrotated base kernel
 * (t = 0), only scaled. Only the coefficients belong to this layer; the base kernel
 * is owned by the first layer that uses it, and every use adds to its gradient.
 *
 * <p>Public (with read-only accessors) so exporters can write the same generation as ops.
 */
public final class RepeatedConv2d extends AbstractBlock {

    private final Parameter base;
    private final Parameter coefficients;
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int repetition;
    private final int tilesOut;
    private final int tilesIn;
    private final boolean rotate;

    /** @param owner whether this layer registers (and so initialises, saves and trains) the base kernel */
    RepeatedConv2d(Parameter base, boolean owner, int in, int out, int kernel, int stride, int repetition, boolean rotate) {
        this.rotate = rotate;
        this.base = owner ? addParameter(base) : base;
        long baseOut = base.getShape().get(0), baseIn = base.getShape().get(1);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.repetition = repetition;
        this.tilesOut = (int) ((out + baseOut - 1) / baseOut);
        this.tilesIn = (int) ((in + baseIn - 1) / baseIn);
        this.coefficients = addParameter(Parameter.builder().setName("coefficients").setType(Parameter.Type.OTHER)
                .optShape(new Shape(tilesOut * tilesIn)).optInitializer(Initializer.ONES).build());
    }

    static Parameter baseKernel(int baseOut, int baseIn, int kernel) {
        return Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(baseOut, baseIn, kernel, kernel)).build();
    }

    int coefficientCount() {
        return tilesOut * tilesIn;
    }

    /** The base kernel (baseOut×baseIn×k×k) this conv repeats, shared with every other use. */
    public Parameter base() {
        return base;
    }

    /** One learnable scale per tile, tile (a, b) at index a·tilesIn + b. */
    public Parameter coefficients() {
        return coefficients;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    /** Which use of the base kernel this is; tile (a, b) is rotated by 90°·((repetition + a·tilesIn + b) mod 4). */
    public int repetition() {
        return repetition;
    }

    /** Whether tiles are rotated (else every tile is the base kernel, t = 0). */
    public boolean rotated() {
        return rotate;
    }

    public int tilesOut() {
        return tilesOut;
    }

    public int tilesIn() {
        return tilesIn;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(base, x.getDevice(), training);
        NDArray alpha = ps.getValue(coefficients, x.getDevice(), training);
        NDList derived = new NDList();   // every tensor made from a parameter here, freed with the batch
        NDList rows = new NDList();
        for (int a = 0; a < tilesOut; a++) {
            NDList row = new NDList();
            for (int b = 0; b < tilesIn; b++) {
                int t = rotate ? (repetition + a * tilesIn + b) % 4 : 0;
                NDArray tile = t == 0 ? w : keep(derived, w.rotate90(t, new int[] {2, 3}));
                NDArray scale = keep(derived, alpha.get(a * tilesIn + b));
                row.add(keep(derived, tile.mul(scale)));
            }
            rows.add(row.size() == 1 ? row.head() : keep(derived, ai.djl.ndarray.NDArrays.concat(row, 1)));
        }
        NDArray full = rows.size() == 1 ? rows.head() : keep(derived, ai.djl.ndarray.NDArrays.concat(rows, 0));
        NDArray kernelTensor = full.getShape().get(0) == out && full.getShape().get(1) == in ? full
                : keep(derived, full.get("0:" + out + ",0:" + in));
        derived.attach(x.getManager());
        int pad = kernel / 2;
        return new NDList(Convolutions.conv2d(x, kernelTensor, null, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1));
    }

    private static NDArray keep(NDList list, NDArray a) {
        list.add(a);
        return a;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        int pad = kernel / 2;
        long h = (s.get(2) + 2L * pad - kernel) / stride + 1, w = (s.get(3) + 2L * pad - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        if (inputShapes[0].get(1) != in) {
            throw new IllegalStateException("repeated conv expects " + in + " input channels, got " + inputShapes[0]);
        }
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
