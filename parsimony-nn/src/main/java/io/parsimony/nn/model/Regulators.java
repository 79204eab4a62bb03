package io.parsimony.nn.model;

import io.parsimony.layout.LayoutException;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where a {@link DacnnSpec} carries regulators (seed 002, §3 "Regulators"): a regulator is a
 * 1×1 conv → BatchNorm → ReLU with free weights, C→C, so it fits wherever the width is C.
 * They are switched on section by section ({@code sections}, numbered from 1 in pooling
 * order, as in Table 4) and come either one per unit or one per shared conv:
 * <ul>
 *   <li>{@link Placement#BLOCK}: one per residual block (Fig. 3 right, "one regulator is appended
 *       to each block"), sitting inside the residual branch between the block's two convs:
 *       conv → BN → ReLU → <b>1×1 → BN → ReLU</b> → conv → BN, then + shortcut → ReLU. The identity
 *       path stays clean and the branch still ends in BN, like every other block.</li>
 *   <li>{@link Placement#CONV}: one after every conv of a block ("it helps to regulate the
 *       output of each convolution layer with shared weights"): the BLOCK regulator plus one
 *       on the block's output (after the addition and its ReLU), i.e. two per block.</li>
 * </ul>
 * In a plain (VGG-style) stack every layer is its own unit, so both placements put one
 * regulator after each conv → BN → ReLU layer. Table 6's plain "(REG)" rows count one
 * regulator per application of the global kernel (CONV); its "(MIX, REG)" rows one per block
 * (BLOCK) — see {@link DacnnPresets}.
 */
public record Regulators(Placement placement, List<Integer> sections) {

    /** How many regulators a residual block gets. */
    public enum Placement {
        /** One per residual block, between its two convs. */
        BLOCK,
        /** One per conv: between the two convs and after the block's output. */
        CONV
    }

    public static final Regulators NONE = new Regulators(Placement.BLOCK, List.of());

    public Regulators {
        placement = placement == null ? Placement.BLOCK : placement;
        sections = sections == null ? List.of() : List.copyOf(sections);
        TreeSet<Integer> seen = new TreeSet<>();
        for (int s : sections) {
            if (s < 1) {
                throw new LayoutException("regulator section " + s + " does not exist: sections are numbered from 1");
            }
            if (!seen.add(s)) {
                throw new LayoutException("regulator section " + s + " is listed twice in " + sections);
            }
        }
        sections = List.copyOf(seen);
    }

    /** One regulator per residual block (per layer in a plain stack) in the given sections. */
    public static Regulators perBlock(int... sections) {
        return new Regulators(Placement.BLOCK, java.util.Arrays.stream(sections).boxed().toList());
    }

    /** One regulator per conv (two per residual block) in the given sections. */
    public static Regulators perConv(int... sections) {
        return new Regulators(Placement.CONV, java.util.Arrays.stream(sections).boxed().toList());
    }

    /** Sections 1..n, for "ALL" in Table 4. */
    public static int[] all(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).toArray();
    }

    /** Whether section {@code section} (from 1) has regulators. */
    public boolean covers(int section) {
        return sections.contains(section);
    }

    /** Whether there is any regulator at all. */
    public boolean any() {
        return !sections.isEmpty();
    }

    /** Regulators one residual block (or one plain layer) carries when its section is covered. */
    int perUnit(boolean residual) {
        return residual && placement == Placement.CONV ? 2 : 1;
    }

    /** e.g. "reg/conv s1-4", "reg/block s3", "" when there are none. */
    public String describe() {
        if (sections.isEmpty()) {
            return "";
        }
        String where = sections.size() > 1 && sections.get(sections.size() - 1) - sections.get(0) == sections.size() - 1
                ? sections.get(0) + "-" + sections.get(sections.size() - 1)
                : sections.stream().map(String::valueOf).collect(Collectors.joining(","));
        return "reg/" + placement.name().toLowerCase(java.util.Locale.ROOT) + " s" + where;
    }
}
