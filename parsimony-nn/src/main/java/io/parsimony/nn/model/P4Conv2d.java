package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.parsimony.nn.engine.Convolutions;

/**
 * A p4 group convolution (Cohen &amp; Welling 2016): the network's feature maps are functions on the
 * group of translations and 90° rotations, stored as {@code C·4} channels (group channel c,
 * rotation r at index {@code 4c + r}). Output (c, r) correlates the input with the learnable filter
 * rotated by 90°·r and, for a p4 input, with its rotation axis cyclically shifted by r:
 * <pre>  out(c, r) = Σ_{c', s} in(c', s) ⋆ rot90^r(w[c, c', s − r mod 4])</pre>
 * so rotating the input by 90° rotates every output map and shifts r by one. The {@code lifting}
 * layer takes an ordinary image (one input rotation, Z2 → P4).
 *
 * <p>Only the learnable filter (out × in·S × k × k, S = 1 lifting, 4 otherwise) is a parameter; the
 * expanded bank (4·out × in·S × k × k) is built from it in every forward pass, so gradients of all
 * four copies reach it, and its tensors are attached to the batch's manager (freed with the batch,
 * not kept by the parameter's manager for the whole run).
 */
public final class P4Conv2d extends AbstractBlock {

    /** Rotations of the p4 group. */
    public static final int ROTATIONS = 4;

    private final Parameter weight;
    private final int in;
    private final int out;
    private final int inRotations;
    private final int kernel;

    /** @param in input group channels (image channels when {@code lifting}) @param out output group channels */
    P4Conv2d(int in, int out, boolean lifting, int kernel) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("a p4 conv needs an odd kernel to rotate about its centre, got " + kernel);
        }
        this.in = in;
        this.out = out;
        this.inRotations = lifting ? 1 : ROTATIONS;
        this.kernel = kernel;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, (long) in * inRotations, kernel, kernel)).build());
    }

    /** Elements of the learnable filter (what is optimised). */
    long learnable() {
        return (long) out * in * inRotations * kernel * kernel;
    }

    /** Elements of the expanded filter bank (what is applied: the physical size). */
    long expanded() {
        return ROTATIONS * learnable();
    }

    /** The expanded bank (4·out × in·S × k × k) from the learnable filter; every tensor made is added to {@code derived}. */
    static NDArray expand(NDArray w, int in, int out, int inRotations, int kernel, NDList derived) {
        NDArray w5 = keep(derived, w.reshape(out, in, inRotations, kernel, kernel));
        NDList copies = new NDList(ROTATIONS);
        for (int r = 0; r < ROTATIONS; r++) {
            NDArray rotated = r == 0 ? w5 : keep(derived, w5.rotate90(r, new int[] {3, 4}));
            if (inRotations == ROTATIONS && r > 0) {
                // shifted[s] = rotated[(s - r) mod 4]
                NDArray tail = keep(derived, rotated.get(":, :, " + (ROTATIONS - r) + ":"));
                NDArray head = keep(derived, rotated.get(":, :, 0:" + (ROTATIONS - r)));
                rotated = keep(derived, NDArrays.concat(new NDList(tail, head), 2));
            }
            copies.add(rotated);
        }
        NDArray stacked = keep(derived, NDArrays.stack(copies, 1));   // out × 4 × in × S × k × k
        return keep(derived, stacked.reshape((long) out * ROTATIONS, (long) in * inRotations, kernel, kernel));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDList derived = new NDList();
        NDArray bank = expand(w, in, out, inRotations, kernel, derived);
        derived.attach(x.getManager());
        int pad = kernel / 2;
        return new NDList(Convolutions.conv2d(x, bank, null, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1));
    }

    private static NDArray keep(NDList list, NDArray a) {
        list.add(a);
        return a;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), (long) out * ROTATIONS, s.get(2), s.get(3))};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        if (inputShapes[0].get(1) != (long) in * inRotations) {
            throw new IllegalStateException("p4 conv expects " + in * inRotations + " input channels, got " + inputShapes[0]);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
