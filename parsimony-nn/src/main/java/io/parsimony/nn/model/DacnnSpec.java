package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.parsimony.layout.LayoutException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Deep Anchored CNN (seed 002): conv kernels shared across layers, every layer keeping its
 * own free BatchNorm.
 *
 * <p>The network is a stem conv 3×3 ({@code inputChannels} → {@code widths[0]}) → BN → ReLU,
 * then sections separated by 2×2 max-pools (stride 2), then global average pool → linear
 * classifier. Section {@code s} has width {@code widths[s]} and {@code units[s]} units: a unit
 * is one conv → BN → ReLU layer in a plain (VGG-style) stack, or with {@code residual} one
 * basic block of Eq. 6 — conv → BN → ReLU → conv → BN, + identity shortcut, → ReLU — whose
 * two convs both use the section's kernel. Which kernel a 3×3 conv after the stem uses is
 * {@link #sharing()}:
 * <ul>
 *   <li>{@link Sharing#GLOBAL} — plain DACNN (Eq. 3): one C×C×3×3 kernel W_G for every conv after
 *       the stem; all widths must be equal. {@link #depth()} is the paper's L, the number of
 *       times W_G is applied ("a 128×128×3×3 kernel stacked L times").</li>
 *   <li>{@link Sharing#SECTION} — mixed DACNN (Fig. 3): one kernel per section. Where the width
 *       grows, the section's first conv is a free transition conv (previous → new width) and,
 *       with residual learning, that block's shortcut is a free 1×1 conv + BN projection.</li>
 *   <li>{@link Sharing#NONE} — the same network with free weights everywhere: the unshared twin
 *       (Table 2's figures in parentheses).</li>
 * </ul>
 * Regulators ({@link Regulators}) are free 1×1 conv → BN → ReLU units, per block or per conv,
 * section by section. The stem and transition convs are never shared.
 *
 * <p>Downsampling is by max-pool between sections (the paper separates sections "by pooling
 * layers"), not by strided convs; the parameter count is the same either way.
 */
public record DacnnSpec(int inputChannels, int classes, Sharing sharing, boolean residual,
                        List<Integer> widths, List<Integer> units, Regulators regulators) implements ModelSpec {

    /** Which convs share one kernel tensor. */
    public enum Sharing {
        /** One kernel for every conv after the stem (plain DACNN). */
        GLOBAL,
        /** One kernel per section, free transitions where the width grows (mixed DACNN). */
        SECTION,
        /** Every conv has its own kernel (the unshared twin / the template with free weights). */
        NONE
    }

    public DacnnSpec {
        if (sharing == null) {
            throw new LayoutException("DACNN needs a sharing mode: GLOBAL, SECTION or NONE");
        }
        regulators = regulators == null ? Regulators.NONE : regulators;
        widths = widths == null ? List.of() : List.copyOf(widths);
        units = units == null ? List.of() : List.copyOf(units);
        if (inputChannels < 1 || classes < 1) {
            throw new LayoutException("DACNN needs at least 1 input channel and 1 class, got " + inputChannels
                    + " channels and " + classes + " classes");
        }
        if (widths.isEmpty() || widths.size() != units.size()) {
            throw new LayoutException("DACNN has " + widths.size() + " section widths but " + units.size()
                    + " section sizes; give one width and one size per section");
        }
        for (int i = 0; i < widths.size(); i++) {
            if (widths.get(i) < 1 || units.get(i) < 1) {
                throw new LayoutException("DACNN section " + (i + 1) + " has width " + widths.get(i) + " and "
                        + units.get(i) + " " + (residual ? "blocks" : "layers") + "; both must be ≥ 1");
            }
        }
        if (sharing == Sharing.GLOBAL && widths.stream().distinct().count() > 1) {
            throw new LayoutException("channel mismatch: one global kernel needs the same width in every section, got "
                    + join(widths) + "; use SECTION sharing (mixed DACNN) to expand channels");
        }
        int depth = units.stream().mapToInt(Integer::intValue).sum() * (residual ? 2 : 1);
        if (depth < 2) {
            throw new LayoutException("DACNN depth " + depth + " < 2: it needs at least two convs after the stem");
        }
        for (int s : regulators.sections()) {
            if (s > widths.size()) {
                throw new LayoutException("regulator on section " + s + ", but the network has " + widths.size()
                        + " section" + (widths.size() == 1 ? "" : "s") + " (1.." + widths.size() + ")");
            }
        }
    }

    /**
     * A plain DACNN (Eq. 2–3): stem 3×3 to {@code channels}, then the global kernel applied
     * {@code depth} times, a 2×2 max-pool after the applications listed in {@code poolAfter}
     * (1-based; with {@code residual} they must fall between blocks, i.e. be even).
     */
    public static DacnnSpec plain(int inputChannels, int classes, int depth, int channels, boolean residual,
                                  int[] poolAfter, Regulators regulators) {
        if (depth < 2) {
            throw new LayoutException("DACNN depth " + depth + " < 2: it needs at least two convs after the stem");
        }
        int step = residual ? 2 : 1;
        if (residual && depth % 2 != 0) {
            throw new LayoutException("a residual DACNN applies the kernel twice per block, so its depth must be even, got "
                    + depth);
        }
        List<Integer> units = new ArrayList<>();
        int prev = 0;
        for (int p : poolAfter) {
            if (p <= prev || p >= depth) {
                throw new LayoutException("max-pool after application " + p + " of " + depth + ": pools go between convs, "
                        + "in increasing order, got " + Arrays.toString(poolAfter));
            }
            if (p % step != 0) {
                throw new LayoutException("max-pool after application " + p + " would split a residual block; "
                        + "use even positions, got " + Arrays.toString(poolAfter));
            }
            units.add((p - prev) / step);
            prev = p;
        }
        units.add((depth - prev) / step);
        List<Integer> widths = units.stream().map(u -> channels).toList();
        return new DacnnSpec(inputChannels, classes, Sharing.GLOBAL, residual, widths, units, regulators);
    }

    /**
     * The paper's plain DACNN of depth L: C channels, residual learning beyond 17 layers, and
     * (as for VGG and ResNet on 32×32 images) three max-pools, spread evenly over the layers
     * or blocks — e.g. L = 14: pools after applications 4, 7, 11; L = 18: 9 blocks (2,3,2,2).
     */
    public static DacnnSpec plain(int inputChannels, int classes, int depth, int channels) {
        boolean residual = depth > 17;
        return plain(inputChannels, classes, depth, channels, residual, defaultPools(depth, residual), Regulators.NONE);
    }

    /** Three pools (fewer if the net is too shallow), evenly spread, on block boundaries when residual. */
    static int[] defaultPools(int depth, boolean residual) {
        int step = residual ? 2 : 1;
        int n = depth / step;
        int pools = Math.min(3, n - 1);
        int[] after = new int[pools];
        for (int j = 0; j < pools; j++) {
            after[j] = (int) Math.round((j + 1) * (double) n / (pools + 1)) * step;
        }
        return after;
    }

    /** A mixed DACNN (§3 "Mixed Architecture"): one shared kernel per section. */
    public static DacnnSpec mixed(int inputChannels, int classes, int[] widths, int[] units, boolean residual,
                                  Regulators regulators) {
        return new DacnnSpec(inputChannels, classes, Sharing.SECTION, residual, Arrays.stream(widths).boxed().toList(),
                Arrays.stream(units).boxed().toList(), regulators);
    }

    /** The same network with its regulators replaced. */
    public DacnnSpec withRegulators(Regulators r) {
        return new DacnnSpec(inputChannels, classes, sharing, residual, widths, units, r);
    }

    /** The same network with every conv holding its own kernel (same layers, same order). */
    public DacnnSpec unshared() {
        return new DacnnSpec(inputChannels, classes, Sharing.NONE, residual, widths, units, regulators);
    }

    /**
     * The same network with every section width (the stem's too) × {@code f}, rounded, at
     * least 1: the paper's 128–512-channel nets at a width a CPU trains in minutes.
     */
    public DacnnSpec narrowed(double f) {
        if (!(f > 0) || f > 8) {
            throw new LayoutException(String.format(java.util.Locale.ROOT,
                    "width multiplier x%s is outside (0, 8]; write e.g. dacnn-14@x0.25", f));
        }
        return new DacnnSpec(inputChannels, classes, sharing, residual,
                widths.stream().map(w -> (int) Math.max(1, Math.round(w * f))).toList(), units, regulators);
    }

    /** Number of sections (max-pools + 1). */
    public int sectionCount() {
        return widths.size();
    }

    /** 3×3 convs after the stem; for GLOBAL sharing, the paper's L (applications of W_G). */
    public int depth() {
        return units.stream().mapToInt(Integer::intValue).sum() * (residual ? 2 : 1);
    }

    /** 1-based conv indices (after the stem) that a max-pool follows. */
    public int[] poolAfter() {
        int[] after = new int[widths.size() - 1];
        int at = 0;
        for (int s = 0; s + 1 < widths.size(); s++) {
            at += units.get(s) * (residual ? 2 : 1);
            after[s] = at;
        }
        return after;
    }

    /** Number of regulators in the network. */
    public int regulatorCount() {
        int n = 0;
        for (int s = 0; s < widths.size(); s++) {
            if (regulators.covers(s + 1)) {
                n += units.get(s) * regulators.perUnit(residual);
            }
        }
        return n;
    }

    private int inputOf(int section) {
        return section == 0 ? widths.get(0) : widths.get(section - 1);
    }

    /** 3×3 convs of section {@code s} that use the shared (or, for NONE, their own) C×C kernel. */
    private int kernelUses(int s) {
        int convs = units.get(s) * (residual ? 2 : 1);
        return inputOf(s) != widths.get(s) ? convs - 1 : convs;
    }

    @Override
    public Block build() {
        return build(LayerFactory.FREE);
    }

    Block build(LayerFactory f) {
        SequentialBlock net = new SequentialBlock();
        int w0 = widths.get(0);
        net.add(f.conv("stem", inputChannels, w0, 3, 1)).add(f.batchNorm("stembn", w0)).add(Activation.reluBlock());
        Block global = sharing == Sharing.GLOBAL ? f.conv("global", w0, w0, 3, 1) : null;
        for (int s = 0; s < widths.size(); s++) {
            int w = widths.get(s);
            int in = inputOf(s);
            if (s > 0) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            String sec = "s" + (s + 1);
            Block sectionKernel = switch (sharing) {
                case GLOBAL -> global;
                case SECTION -> kernelUses(s) > 0 ? f.conv(sec + "k", w, w, 3, 1) : null;
                case NONE -> null;
            };
            boolean reg = regulators.covers(s + 1);
            for (int u = 0; u < units.get(s); u++) {
                String key = sec + "u" + (u + 1);
                boolean transition = u == 0 && in != w;
                if (!residual) {
                    Block conv = transition ? f.conv(key + "t", in, w, 3, 1) : kernel(f, sectionKernel, key + "c", w);
                    net.add(conv).add(f.batchNorm(key + "bn", w)).add(Activation.reluBlock());
                    if (reg) {
                        net.add(regulator(f, key + "r", w));
                    }
                    continue;
                }
                SequentialBlock branch = new SequentialBlock()
                        .add(transition ? f.conv(key + "t", in, w, 3, 1) : kernel(f, sectionKernel, key + "c1", w))
                        .add(f.batchNorm(key + "bn1", w)).add(Activation.reluBlock());
                if (reg) {
                    branch.add(regulator(f, key + "r1", w));
                }
                branch.add(kernel(f, sectionKernel, key + "c2", w)).add(f.batchNorm(key + "bn2", w));
                Block shortcut = transition
                        ? new SequentialBlock().add(f.conv(key + "p", in, w, 1, 1)).add(f.batchNorm(key + "pbn", w))
                        : Blocks.identityBlock();
                net.add(new ParallelBlock(DacnnSpec::addRelu, List.of(branch, shortcut)));
                if (reg && regulators.placement() == Regulators.Placement.CONV) {
                    net.add(regulator(f, key + "r2", w));
                }
            }
        }
        return net.add(f.head("head", widths.get(widths.size() - 1), classes));
    }

    /** The shared kernel instance (added at every use), or a fresh one for NONE. */
    private static Block kernel(LayerFactory f, Block shared, String key, int w) {
        return shared != null ? shared : f.conv(key, w, w, 3, 1);
    }

    /** A regulator: 1×1 conv → BN → ReLU, all free. */
    private static Block regulator(LayerFactory f, String key, int w) {
        return new SequentialBlock().add(f.conv(key, w, w, 1, 1)).add(f.batchNorm(key + "bn", w))
                .add(Activation.reluBlock());
    }

    private static NDList addRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    /**
     * Distinct conv weights, in closed form: the stem, each shared kernel once (every use for
     * NONE), transitions, 1×1 projections and regulators.
     */
    @Override
    public long analyticConvWeights() {
        long w0 = widths.get(0);
        long n = 9L * inputChannels * w0;
        if (sharing == Sharing.GLOBAL) {
            n += 9L * w0 * w0;
        }
        for (int s = 0; s < widths.size(); s++) {
            long w = widths.get(s);
            long in = inputOf(s);
            int uses = kernelUses(s);
            if (sharing == Sharing.SECTION && uses > 0) {
                n += 9L * w * w;
            } else if (sharing == Sharing.NONE) {
                n += 9L * w * w * uses;
            }
            if (in != w) {
                n += 9L * in * w + (residual ? in * w : 0);
            }
            if (regulators.covers(s + 1)) {
                n += w * w * units.get(s) * regulators.perUnit(residual);
            }
        }
        return n;
    }

    /** e.g. "dacnn global 128, 18 convs as 9 blocks (2,3,2,2), reg/conv s1-4". */
    @Override
    public String describe() {
        String kind = switch (sharing) {
            case GLOBAL -> "dacnn global " + widths.get(0);
            case SECTION -> "dacnn mix " + join(widths);
            case NONE -> "unshared " + (widths.stream().distinct().count() == 1 ? String.valueOf(widths.get(0)) : join(widths));
        };
        String body = residual ? depth() + " convs as " + depth() / 2 + " blocks " + join(units)
                : depth() + " convs " + join(units);
        String reg = regulators.describe();
        return kind + ", " + body + (reg.isEmpty() ? "" : ", " + reg);
    }

    private static String join(List<Integer> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
    }

    @Override
    public String toString() {
        return describe();
    }
}
