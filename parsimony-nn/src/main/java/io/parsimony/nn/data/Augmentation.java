package io.parsimony.nn.data;

/**
 * Training-time augmentation: a random crop after zero-padding by {@code cropPadding} pixels
 * (0 = off) and a random horizontal flip. Both are off by default: flipping digits changes
 * their meaning, and the papers' small-budget runs on MNIST-like sets use none.
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (cropPadding < 0) {
            throw new io.parsimony.InputException("crop padding must be ≥ 0, got " + cropPadding);
        }
    }

    public boolean enabled() {
        return cropPadding > 0 || horizontalFlip;
    }
}
