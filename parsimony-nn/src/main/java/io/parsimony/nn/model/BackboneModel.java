package io.parsimony.nn.model;

import io.parsimony.balance.Backbone;
import io.parsimony.balance.BalancedDistribution;
import io.parsimony.balance.BlockKind;
import io.parsimony.balance.Stage;
import io.parsimony.layout.LayoutException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seed 000's backbones as trainable CIFAR-size models, as torchvision-style originals or with
 * the balanced distribution of {@link BalancedDistribution} (equal conv-parameter shares per
 * stage, same total), at a width multiplier so they train on a small CPU. Written
 * {@code NAME[@xF][-balanced]}, e.g. {@code resnet-18@x0.25-balanced}; {@code @x} cannot be
 * confused with the {@code @wWdD} rescaling, whose letters are w and d only.
 *
 * <ul>
 *   <li>{@code resnet-18}, {@code resnet-34}: the CIFAR ResNets of {@link DacnnPresets} (3×3 stem,
 *       (2,2,2,2) / (3,4,6,3) basic blocks 64..512, 1×1 projections); the stem is fixed when balancing,
 *       as in {@code layout balance}.</li>
 *   <li>{@code alexnet}: AlexNet's five convs (64, 192, 384, 256, 256) adapted to 32×32 inputs:
 *       conv1 5×5 stride 1 instead of 11×11 stride 4 (a 32-pixel image has no room for the 4× cut),
 *       conv2 5×5, conv3-5 3×3 as in the original; 2×2 max-pools after conv1 and conv2 (AlexNet pools
 *       after conv1, conv2, conv5; the last is taken over by global average pooling); BatchNorm after
 *       every conv (the project's plain CNN) and global average pool + one linear layer instead of
 *       the three dropout FC layers (58M weights that seed 000's conv-only balance does not touch).
 *       conv1 is fixed when balancing.</li>
 * </ul>
 *
 * <p>The width multiplier scales every conv (stem included) to max(1, round(F·width)) before
 * balancing, so {@code resnet-18@x0.25-balanced} has the conv-parameter count of
 * {@code resnet-18@x0.25}. Balanced totals are kept within {@link #TOLERANCE} of the original:
 * {@link BalancedDistribution} guarantees 0.5%; where its widths miss 0.1%, a small search
 * around them picks the most even shares that do.
 */
public record BackboneModel(String name, double widthMultiplier, boolean balanced) {

    /** Backbone names this class builds. */
    public static final List<String> NAMES = List.of("resnet-18", "resnet-34", "alexnet");

    /** Largest relative difference between the balanced and the original conv-parameter counts. */
    public static final double TOLERANCE = 0.001;

    /** Width multipliers accepted: wide enough for every use here, and no width past a few thousand channels. */
    public static final double MAX_MULTIPLIER = 8;

    private static final Pattern TEXT = Pattern.compile(
            "(resnet-?18|resnet-?34|alexnet)(?:@x(\\d{1,6}(?:\\.\\d{1,6})?|\\.\\d{1,6}))?(-balanced)?");

    public BackboneModel {
        name = canonical(name);
        if (!(widthMultiplier > 0) || widthMultiplier > MAX_MULTIPLIER) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "width multiplier x%s is outside (0, %s]; write e.g. %s@x0.25", widthMultiplier, MAX_MULTIPLIER, name));
        }
    }

    /** The backbone model {@code text} names, or empty when it is not of the form {@code NAME[@xF][-balanced]}. */
    public static Optional<BackboneModel> parse(String text) {
        Matcher m = TEXT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        double f = m.group(2) == null ? 1 : Double.parseDouble(m.group(2));
        return Optional.of(new BackboneModel(m.group(1), f, m.group(3) != null));
    }

    private static String canonical(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace("resnet18", "resnet-18")
                .replace("resnet34", "resnet-34");
        if (!NAMES.contains(n)) {
            throw new LayoutException("unknown backbone '" + name + "': use one of " + String.join(", ", NAMES));
        }
        return n;
    }

    /** The text form, e.g. {@code resnet-18@x0.25-balanced}. */
    public String text() {
        String f = widthMultiplier == 1 ? "" : "@x" + new java.math.BigDecimal(Double.toString(widthMultiplier))
                .stripTrailingZeros().toPlainString();
        return name + f + (balanced ? "-balanced" : "");
    }

    /** The backbone at this width multiplier, before balancing. */
    public Backbone original(int inputChannels) {
        return switch (name) {
            case "resnet-18" -> resnet(inputChannels, new int[] {2, 2, 2, 2});
            case "resnet-34" -> resnet(inputChannels, new int[] {3, 4, 6, 3});
            default -> new Backbone("AlexNet (CIFAR)", inputChannels, List.of(
                    new Stage("conv1", BlockKind.CONV, scale(64), 1, 5, 1, true),
                    new Stage("conv2", BlockKind.CONV, scale(192), 1, 5, 1, false),
                    new Stage("conv3", BlockKind.CONV, scale(384), 1, 3, 1, false),
                    new Stage("conv4", BlockKind.CONV, scale(256), 1, 3, 1, false),
                    new Stage("conv5", BlockKind.CONV, scale(256), 1, 3, 1, false)));
        };
    }

    private Backbone resnet(int inputChannels, int[] blocks) {
        List<Stage> st = new ArrayList<>();
        st.add(new Stage("stem", BlockKind.CONV, scale(64), 1, 3, 1, true));
        int[] widths = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            st.add(new Stage("layer" + (s + 1), BlockKind.BASIC, scale(widths[s]), blocks[s], 3, s == 0 ? 1 : 2, false));
        }
        return new Backbone(name.equals("resnet-18") ? "ResNet-18 (CIFAR)" : "ResNet-34 (CIFAR)", inputChannels, st);
    }

    private int scale(int width) {
        return (int) Math.max(1, Math.round(width * widthMultiplier));
    }

    /** The backbone this model builds: {@link #original}, balanced when asked. */
    public Backbone backbone(int inputChannels) {
        Backbone o = original(inputChannels);
        return balanced ? balance(o) : o;
    }

    /** The network: a {@link BlockResNetSpec} or a {@link PlainCnnSpec}, so it counts, trains and rescales like any other. */
    public ModelSpec spec(int inputChannels, int classes) {
        Backbone b = backbone(inputChannels);
        int[] w = b.widths();
        if (name.equals("alexnet")) {
            return new PlainCnnSpec(inputChannels, classes, w, new int[] {5, 5, 3, 3, 3}, new int[] {1, 2});
        }
        int[] repeats = new int[w.length];
        repeats[0] = 1;
        for (int s = 1; s < w.length; s++) {
            repeats[s] = 2 * b.stages().get(s).blocks();
        }
        return new BlockResNetSpec(inputChannels, classes, w, repeats);
    }

    /**
     * {@link BalancedDistribution#balance} held to {@link #TOLERANCE}: where its widths miss, every
     * free stage's width is moved by up to ±{@code r} (r = 1, 2, ..) and the combination with the
     * most even shares (smallest largest/smallest ratio) among those within the tolerance wins.
     */
    public static Backbone balance(Backbone original) {
        Backbone first = BalancedDistribution.balance(original);
        long target = original.totalWeights();
        if (error(first, target) <= TOLERANCE) {
            return first;
        }
        List<Integer> free = new ArrayList<>();
        for (int s = 0; s < original.stages().size(); s++) {
            if (!original.stages().get(s).fixed()) {
                free.add(s);
            }
        }
        if (free.size() > 6) {
            throw new LayoutException("balanced " + original.name() + " is off its count by more than 0.1% and has too many"
                    + " stages (" + free.size() + ") to adjust; use at most 6 free stages");
        }
        int[] start = first.widths();
        for (int r = 1; r <= 6; r++) {
            Backbone best = null;
            double bestSpread = Double.POSITIVE_INFINITY;
            int side = 2 * r + 1;
            int combos = (int) Math.pow(side, free.size());
            for (int c = 0; c < combos; c++) {
                int[] w = start.clone();
                boolean ok = true;
                for (int i = 0, rest = c; i < free.size(); i++, rest /= side) {
                    w[free.get(i)] += rest % side - r;
                    ok &= w[free.get(i)] >= 1;
                }
                if (!ok) {
                    continue;
                }
                Backbone b = first.withWidths(w);
                if (error(b, target) > TOLERANCE) {
                    continue;
                }
                double spread = spread(b, free);
                if (spread < bestSpread) {
                    bestSpread = spread;
                    best = b;
                }
            }
            if (best != null) {
                return best;
            }
        }
        throw new LayoutException(String.format(Locale.ROOT,
                "no balanced layout of %s within 0.1%% of its %,d conv weights: widths are too coarse; use a larger width multiplier",
                original.name(), target));
    }

    private static double error(Backbone b, long target) {
        return Math.abs(b.totalWeights() - target) / (double) target;
    }

    /** Largest over smallest conv-weight share among the free stages: 1 is perfectly balanced. */
    private static double spread(Backbone b, List<Integer> free) {
        long[] sw = b.stageWeights();
        long lo = Long.MAX_VALUE, hi = 0;
        for (int s : free) {
            lo = Math.min(lo, sw[s]);
            hi = Math.max(hi, sw[s]);
        }
        return (double) hi / Math.max(1, lo);
    }

    /**
     * Original beside balanced at this width: stage widths, conv weights, each stage's share and
     * the seed-001 energy (one ln(width) factor per main-path conv, as {@code layout balance}), so
     * accuracy can be set beside both the shares and the energy.
     */
    public record Comparison(String original, String balanced, int[] originalWidths, int[] balancedWidths,
                             long originalWeights, long balancedWeights, double[] originalShares, double[] balancedShares,
                             double originalLogEnergy, double balancedLogEnergy) {
    }

    public Comparison compare(int inputChannels) {
        Backbone o = original(inputChannels), b = balance(o);
        BackboneModel plain = new BackboneModel(name, widthMultiplier, false), bal = new BackboneModel(name, widthMultiplier, true);
        return new Comparison(plain.text(), bal.text(), o.widths(), b.widths(), o.totalWeights(), b.totalWeights(),
                shares(o), shares(b), o.logEnergy(), b.logEnergy());
    }

    private static double[] shares(Backbone b) {
        long[] sw = b.stageWeights();
        double t = b.totalWeights();
        return java.util.Arrays.stream(sw).mapToDouble(w -> w / t).toArray();
    }

    @Override
    public String toString() {
        return text();
    }
}
