package io.parsimony.balance;

import io.parsimony.layout.LayoutException;

import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A backbone as a chain of stages after {@code inputChannels} image channels. Presets give the
 * stage widths of the three backbones of seed 000 (AlexNet, ResNet-34, ResNet-101) as
 * torchvision defines them.
 */
public record Backbone(String name, int inputChannels, List<Stage> stages) {

    public Backbone {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new LayoutException("backbone " + name + " has no stages");
        }
        long blocks = 0;
        for (Stage s : stages) {
            blocks += s.blocks();
        }
        if (blocks > Layout.MAX_UNITS) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "backbone %s has %,d blocks, above the largest supported %,d", name, blocks, Layout.MAX_UNITS));
        }
        if (inputChannels < 1) {
            throw new LayoutException("input channels must be positive, got " + inputChannels);
        }
    }

    public static final List<String> PRESETS = List.of("alexnet", "resnet34", "resnet101");

    public static Backbone preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "alexnet" -> new Backbone("AlexNet", 3, List.of(
                    new Stage("conv1", BlockKind.CONV, 64, 1, 11, 4, true),
                    new Stage("conv2", BlockKind.CONV, 192, 1, 5, 1, false),
                    new Stage("conv3", BlockKind.CONV, 384, 1, 3, 1, false),
                    new Stage("conv4", BlockKind.CONV, 256, 1, 3, 1, false),
                    new Stage("conv5", BlockKind.CONV, 256, 1, 3, 1, false)));
            case "resnet34" -> resnet("ResNet-34", BlockKind.BASIC, new int[] {3, 4, 6, 3});
            case "resnet101" -> resnet("ResNet-101", BlockKind.BOTTLENECK, new int[] {3, 4, 23, 3});
            default -> throw new LayoutException("unknown preset '" + name + "': use one of "
                    + String.join(", ", PRESETS) + ", or give your own stages");
        };
    }

    private static Backbone resnet(String name, BlockKind kind, int[] blocks) {
        List<Stage> st = new ArrayList<>();
        st.add(new Stage("conv1", BlockKind.CONV, 64, 1, 7, 2, true));
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            st.add(new Stage("layer" + (s + 1), kind, widths[s], blocks[s], 3, s == 0 ? 1 : 2, false));
        }
        return new Backbone(name, 3, st);
    }

    /**
     * A user backbone: an optional fixed stem conv, then one stage per width, all of one kind.
     * The first stage is unstrided, the others stride 2 (the ResNet convention).
     */
    public static Backbone custom(BlockKind kind, int[] widths, int[] blocks, int kernel, int stemWidth, int stemKernel) {
        Layout.requireUnits(widths.length);
        if (widths.length != blocks.length) {
            throw new LayoutException("got " + widths.length + " stage widths but " + blocks.length
                    + " block counts: give one block count per stage");
        }
        List<Stage> st = new ArrayList<>();
        if (stemWidth > 0) {
            st.add(new Stage("stem", BlockKind.CONV, stemWidth, 1, stemKernel, 2, true));
        }
        for (int s = 0; s < widths.length; s++) {
            st.add(new Stage("stage" + (s + 1), kind, widths[s], blocks[s], kernel, s == 0 ? 1 : 2, false));
        }
        return new Backbone("custom", 3, st);
    }

    /** Conv weights of each stage, in order. */
    public long[] stageWeights() {
        long[] out = new long[stages.size()];
        int in = inputChannels;
        for (int s = 0; s < stages.size(); s++) {
            out[s] = stages.get(s).weights(in);
            in = stages.get(s).outChannels();
        }
        return out;
    }

    /** Total conv weights; refuses a total past a {@code long} with a one-line {@link LayoutException}. */
    public long totalWeights() {
        long t = 0;
        for (long w : stageWeights()) {
            t = NetworkShape.saturatedAdd(t, w);
        }
        if (t == Long.MAX_VALUE) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "backbone %s has more than %,d conv weights, the largest supported count; use narrower stages",
                    name, Long.MAX_VALUE - 1));
        }
        return t;
    }

    /** Total conv weights, {@link Long#MAX_VALUE} where they do not fit: for candidates of a search. */
    long saturatedTotalWeights() {
        long t = 0;
        int in = inputChannels;
        for (Stage s : stages) {
            t = NetworkShape.saturatedAdd(t, s.weights(in, s.width()));
            in = s.outChannels();
        }
        return t;
    }

    /**
     * Energy of seed 001 extended to a backbone: one ln(width) factor per main-path conv.
     * For deep backbones this product is astronomically large, so callers usually compare
     * {@link #logEnergy()}.
     */
    public double energy() {
        return Math.exp(logEnergy());
    }

    /** ln of the energy: Σ ln ln(width) over main-path convs (−∞ if a width is 1). */
    public double logEnergy() {
        double s = 0;
        for (Stage st : stages) {
            for (int w : st.convWidths()) {
                s += Math.log(Math.log(w));
            }
        }
        return s;
    }

    public int[] widths() {
        return stages.stream().mapToInt(Stage::width).toArray();
    }

    public Backbone withWidths(int[] widths) {
        List<Stage> st = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            st.add(stages.get(s).withWidth(widths[s]));
        }
        return new Backbone(name, inputChannels, st);
    }
}
