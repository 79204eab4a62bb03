package io.parsimony.nn.model;

import io.parsimony.layout.LayoutException;

import java.util.List;
import java.util.Locale;

/**
 * The networks of seed 002's Table 6 (CIFAR variants for 32×32 inputs) by name: the plain,
 * regulated, mixed and mixed-regulated DACNNs and the free-weight baselines.
 *
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>name</th><th>network</th></tr>
 *   <tr><td>dacnn-14</td><td>global 128-channel kernel applied 14×, VGG-style, pools after 4, 7, 11</td></tr>
 *   <tr><td>dacnn-18, -24, -34</td><td>global kernel in 9 / 12 / 17 residual blocks (2,3,2,2), (3,3,3,3), (4,5,4,4)</td></tr>
 *   <tr><td>dacnn-18-reg, -24-reg</td><td>dacnn-18 / -24 with one regulator per application of the kernel</td></tr>
 *   <tr><td>dacnn-34-reg</td><td>global kernel in ResNet-34's 16 blocks (3,4,6,3), one regulator per application</td></tr>
 *   <tr><td>dacnn-14-mix</td><td>VGG template 3→64→128→256→512, 13 convs (stem + 1,2,3,6), one kernel per section</td></tr>
 *   <tr><td>dacnn-18-mix, -34-mix</td><td>ResNet-18 / -34 templates (2,2,2,2) / (3,4,6,3) blocks, one kernel per section</td></tr>
 *   <tr><td>dacnn-18-mix-reg, -34-mix-reg</td><td>the same with one regulator per block</td></tr>
 *   <tr><td>vgg-1fc</td><td>VGG-16's 13 convs with BN, 4 max-pools, GAP + one linear layer</td></tr>
 *   <tr><td>resnet-18, resnet-34</td><td>CIFAR ResNets: 3×3 stem, (2,2,2,2) / (3,4,6,3) basic blocks 64..512, 1×1 projections</td></tr>
 * </table>
 *
 * <p><b>Readings of the paper.</b> Plain DACNN-L applies the kernel L times after the stem
 * ("a 128×128×3×3 kernel stacked L times"; Table 2's unshared 34-layer twin, 5.02M, has 34
 * such convs), with residual learning beyond 17 layers (basic blocks of two applications).
 * Mixed DACNNs follow the templates they are compared with in Table 3 (VGG, ResNet-18,
 * ResNet-34). Table 6 counts one regulator per application of the kernel in the plain
 * "(REG)" rows (0.46M for L = 18 needs ≈ 18 × 16,384 extra) but one per block in the
 * "(MIX, REG)" rows (5.60M − 4.90M = 2 × (64² + 128² + 256² + 512²)). DACNN-34 (REG) is the one
 * row where L = 34 applications does not fit: 34 regulators give 0.743M (+3.2%), and the
 * paper's own step from DACNN-18 (REG) to DACNN-34 (REG), 0.26M, is 16.25K per extra layer
 * where a layer plus its regulator holds 17.4K — the net has about two layers fewer. The
 * ResNet-34 layout the paper uses for its other 34-layer nets (16 blocks, 32 applications,
 * 32 regulators) gives 0.708M (−1.6%), so that is what {@code dacnn-34-reg} builds.
 *
 * <p>Parameter counts comparable with Table 6 are {@link ModelSummary#backboneParameters()}.
 */
public final class DacnnPresets {

    /** Plain DACNNs' channels (§3 "Implementation details"). */
    public static final int PLAIN_CHANNELS = 128;

    /** Mixed DACNNs' channel expansion 3→64→128→256→512. */
    static final int[] MIXED_WIDTHS = {64, 128, 256, 512};

    public static final List<String> NAMES = List.of(
            "dacnn-14", "dacnn-18", "dacnn-24", "dacnn-34",
            "dacnn-18-reg", "dacnn-24-reg", "dacnn-34-reg",
            "dacnn-14-mix", "dacnn-18-mix", "dacnn-34-mix",
            "dacnn-18-mix-reg", "dacnn-34-mix-reg",
            "vgg-1fc", "resnet-18", "resnet-34");

    private DacnnPresets() {
    }

    /**
     * The preset called {@code name} (case-insensitive; "DACNN-34 (MIX, REG)", "dacnn-34(mix,reg)",
     * "dacnn34-mix-reg", "ResNet18", "VGG (1-fc)" all work) for the given input channels and
     * classes.
     *
     * @throws LayoutException for an unknown name, listing the known ones
     */
    public static ModelSpec byName(String name, int inputChannels, int classes) {
        String n = canonical(name);
        int[] all = Regulators.all(4);
        int c = PLAIN_CHANNELS;
        return switch (n) {
            case "dacnn-14", "dacnn-18", "dacnn-24", "dacnn-34" ->
                    DacnnSpec.plain(inputChannels, classes, depthOf(n), c);
            case "dacnn-18-reg", "dacnn-24-reg" ->
                    DacnnSpec.plain(inputChannels, classes, depthOf(n), c).withRegulators(Regulators.perConv(all));
            case "dacnn-34-reg" -> new DacnnSpec(inputChannels, classes, DacnnSpec.Sharing.GLOBAL, true,
                    List.of(c, c, c, c), List.of(3, 4, 6, 3), Regulators.perConv(all));
            case "dacnn-14-mix" -> DacnnSpec.mixed(inputChannels, classes, MIXED_WIDTHS, new int[] {1, 2, 3, 6}, false,
                    Regulators.NONE);
            case "dacnn-18-mix" -> resnetMix(inputChannels, classes, new int[] {2, 2, 2, 2}, Regulators.NONE);
            case "dacnn-34-mix" -> resnetMix(inputChannels, classes, new int[] {3, 4, 6, 3}, Regulators.NONE);
            case "dacnn-18-mix-reg" -> resnetMix(inputChannels, classes, new int[] {2, 2, 2, 2}, Regulators.perBlock(all));
            case "dacnn-34-mix-reg" -> resnetMix(inputChannels, classes, new int[] {3, 4, 6, 3}, Regulators.perBlock(all));
            case "vgg-1fc" -> new PlainCnnSpec(inputChannels, classes,
                    new int[] {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512},
                    new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, new int[] {2, 4, 7, 10});
            case "resnet-18" -> new BlockResNetSpec(inputChannels, classes, new int[] {64, 64, 128, 256, 512},
                    new int[] {1, 4, 4, 4, 4});
            case "resnet-34" -> new BlockResNetSpec(inputChannels, classes, new int[] {64, 64, 128, 256, 512},
                    new int[] {1, 6, 8, 12, 6});
            default -> throw new IllegalStateException(n);
        };
    }

    private static DacnnSpec resnetMix(int inputChannels, int classes, int[] blocks, Regulators r) {
        return DacnnSpec.mixed(inputChannels, classes, MIXED_WIDTHS, blocks, true, r);
    }

    private static int depthOf(String canonical) {
        return Integer.parseInt(canonical.split("-")[1]);
    }

    /** The canonical preset name of {@code name}, e.g. "DACNN-34 (MIX, REG)" → "dacnn-34-mix-reg". */
    public static String canonical(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT)
                .replaceAll("\\s+", "").replaceAll("[(),_]", "-")
                .replaceAll("([a-z])(\\d)", "$1-$2")
                .replaceAll("-+", "-").replaceAll("^-|-$", "")
                .replace("-plain", "").replace("-reg-mix", "-mix-reg");
        if (s.equals("vgg-1-fc") || s.equals("vgg")) {
            s = "vgg-1fc";
        }
        if (!NAMES.contains(s)) {
            throw new LayoutException("unknown DACNN preset '" + (name == null ? "" : name.strip()) + "'; known: "
                    + String.join(", ", NAMES));
        }
        return s;
    }
}
