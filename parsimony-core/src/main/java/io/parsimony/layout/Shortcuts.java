package io.parsimony.layout;

/**
 * How residual shortcuts are counted. Seed 001 counts conv weights only along the main path:
 * its Table 4 layouts (e.g. (1,11,42,59)) sum to 51,248 units only if shortcuts carry no
 * weights. A built ResNet needs a 1×1 projection where a unit changes width or resolution;
 * {@link #PROJECTION} counts those weights too.
 */
public enum Shortcuts {
    /** Shortcuts carry no weights (the paper's count). */
    NONE,
    /** A 1×1 projection conv (no bias) in the first block of every residual unit that changes width or halves resolution. */
    PROJECTION
}
