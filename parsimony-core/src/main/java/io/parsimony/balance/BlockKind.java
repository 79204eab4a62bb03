package io.parsimony.balance;

/**
 * How a backbone stage turns its width into conv layers. Counting follows torchvision's
 * definitions, conv weights only (no BatchNorm, no classifier), so that stage shares mean
 * "where the conv parameters are".
 */
public enum BlockKind {
    /** {@code blocks} plain k×k convs of the stage width (AlexNet, VGG). */
    CONV(1),
    /** ResNet basic block: two 3×3 convs; 1×1 projection when the stage strides or changes width. */
    BASIC(1),
    /** ResNet bottleneck: 1×1 → 3×3 → 1×1 (×4); 1×1 projection as for BASIC. */
    BOTTLENECK(4);

    private final int expansion;

    BlockKind(int expansion) {
        this.expansion = expansion;
    }

    /** Output channels per unit of width: 4 for a bottleneck, 1 otherwise. */
    public int expansion() {
        return expansion;
    }

    /** Output channels of a stage of width w. */
    public int outChannels(int width) {
        return width * expansion;
    }

    public static BlockKind parse(String s) {
        for (BlockKind k : values()) {
            if (k.name().equalsIgnoreCase(s.trim())) {
                return k;
            }
        }
        throw new io.parsimony.layout.LayoutException("unknown block kind '" + s + "': use conv, basic or bottleneck");
    }
}
