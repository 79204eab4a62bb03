package io.parsimony.nn.data;

/** One batch as flat arrays ready to copy into a tensor: normalised NCHW floats and labels. */
public record Batch(float[] images, int[] labels, int size) {
}
