package io.parsimony.nn.model;

import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model specs written as text, for command lines and experiment lists:
 * <ul>
 *   <li>{@code plain:35,36,37,43} — plain CNN of a layout</li>
 *   <li>{@code resnet:16,16,32,64/1,10,10,10} — block-unit ResNet, widths / conv layers per unit</li>
 *   <li>a preset name of the DACNN family and its baselines, e.g. {@code dacnn-34-mix-reg}, {@code resnet-18};
 *       a DACNN preset may be narrowed and unshared, {@code dacnn-14-mix@x0.25-unshared} (widths × 0.25,
 *       every conv its own kernel: the twin seed 002 compares with)</li>
 *   <li>a seed-000 backbone, optionally narrowed and balanced: {@code resnet-18@x0.25-balanced}
 *       ({@link BackboneModel})</li>
 *   <li>{@code z2cnn}, {@code p4cnn} — the G-CNN paper's rotated-MNIST networks ({@link GroupCnns})</li>
 *   <li>any plain or residual spec followed by {@code @wWdD} — rescaled by learnable repetition, e.g.
 *       {@code plain:8,16,32,64@w2d2} (width ×2, depth ×2); {@code @wWdD-plain} repeats the base
 *       kernel without rotating its tiles</li>
 * </ul>
 */
public final class ModelCatalog {

    private static final Pattern RESCALE = Pattern.compile("(.+)@(?:w(\\d+))?(?:d(\\d+))?(-plain|-rotated)?", Pattern.CASE_INSENSITIVE);

    private static final Pattern DACNN_VARIANT = Pattern.compile(
            "(.+?)(?:@x(\\d{1,6}(?:\\.\\d{1,6})?|\\.\\d{1,6}))?(-unshared)?", Pattern.CASE_INSENSITIVE);

    private ModelCatalog() {
    }

    /** The spec for images of {@code channels} channels, {@code size} pixels, {@code classes} classes. */
    public static ModelSpec parse(String text, int channels, int classes, int size) {
        String t = text.strip();
        Matcher m = RESCALE.matcher(t);
        if (m.matches() && (m.group(2) != null || m.group(3) != null)) {
            int w = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int d = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            RescaledSpec.Tiles tiles = "-plain".equalsIgnoreCase(m.group(4)) ? RescaledSpec.Tiles.PLAIN : RescaledSpec.Tiles.ROTATED;
            return new RescaledSpec(parse(m.group(1), channels, classes, size), w, d, tiles);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("plain:")) {
            return PlainCnnSpec.of(Layout.parse(t.substring(6)), channels, classes, size);
        }
        if (lower.startsWith("resnet:")) {
            String[] parts = t.substring(7).split("/");
            if (parts.length != 2) {
                throw new LayoutException("'" + text + "': write a residual spec as resnet:WIDTHS/REPEATS, e.g. resnet:16,16,32,64/1,10,10,10");
            }
            int[] repeats = Layout.parse(parts[1]).widths();
            return new BlockResNetSpec(channels, classes, Layout.parse(parts[0]).widths(), repeats);
        }
        var backbone = BackboneModel.parse(t);
        if (backbone.isPresent()) {
            return backbone.get().spec(channels, classes);
        }
        ModelSpec group = GroupCnns.byName(t, channels, classes);
        return group != null ? group : dacnnVariant(t, channels, classes);
    }

    /** A preset, or a DACNN preset followed by {@code @xF} and/or {@code -unshared}. */
    private static ModelSpec dacnnVariant(String text, int channels, int classes) {
        Matcher m = DACNN_VARIANT.matcher(text);
        if (!m.matches() || (m.group(2) == null && m.group(3) == null)) {
            return presetOrFail(text, channels, classes);
        }
        ModelSpec preset = presetOrFail(m.group(1), channels, classes);
        if (!(preset instanceof DacnnSpec d)) {
            throw new LayoutException("'" + text + "': @xF and -unshared apply to DACNN presets (dacnn-14@x0.25-unshared); "
                    + m.group(1) + " is not one");
        }
        DacnnSpec narrowed = m.group(2) == null ? d : d.narrowed(Double.parseDouble(m.group(2)));
        return m.group(3) == null ? narrowed : narrowed.unshared();
    }

    private static ModelSpec presetOrFail(String name, int channels, int classes) {
        try {
            return DacnnPresets.byName(name, channels, classes);
        } catch (LayoutException unknown) {
            throw new LayoutException("unknown model '" + name + "': write plain:N1,N2,.., resnet:WIDTHS/REPEATS, a preset ("
                    + String.join(", ", DacnnPresets.NAMES) + ", " + String.join(", ", GroupCnns.NAMES) + "), a backbone "
                    + String.join("|", BackboneModel.NAMES) + "[@xF][-balanced], or add @wWdD to rescale, e.g. plain:8,16,32,64@w2d2");
        }
    }

    /** Inverse of {@link #parse} for the families that have a text form. */
    public static String format(ModelSpec spec) {
        String named = GroupCnns.nameOf(spec);
        if (named != null) {
            return named;
        }
        if (spec instanceof PlainCnnSpec p) {
            return "plain:" + join(p.widths());
        }
        if (spec instanceof BlockResNetSpec r) {
            return "resnet:" + join(r.widths()) + "/" + join(r.repeats());
        }
        if (spec instanceof RescaledSpec r) {
            return format(r.base()) + "@w" + r.width() + "d" + r.depth() + (r.tiles() == RescaledSpec.Tiles.PLAIN ? "-plain" : "");
        }
        return spec.describe();
    }

    private static String join(int[] a) {
        return String.join(",", Arrays.stream(a).mapToObj(String::valueOf).toList());
    }
}
