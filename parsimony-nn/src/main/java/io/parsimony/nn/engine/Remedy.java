package io.parsimony.nn.engine;

/** What the process runs with after the numerics check. */
public enum Remedy {
    /** The engine as it is. */
    NONE("none"),
    /** Every conv whose out-channels are not a multiple of 16 runs padded ({@link Convolutions}). */
    PAD_CONV_OUTPUTS("pad-conv-outputs");

    private final String label;

    Remedy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
