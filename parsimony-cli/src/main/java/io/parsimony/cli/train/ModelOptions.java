package io.parsimony.cli.train;

import io.parsimony.cli.LayoutConverter;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import picocli.CommandLine.Option;

/** Which network: a plain CNN from a layout, or a block-unit ResNet with --repeats. */
public final class ModelOptions {

    @Option(names = {"-l", "--layout"}, required = true, converter = LayoutConverter.class, paramLabel = "N1,N2,..",
            description = "Widths, e.g. 35,36,37,43.")
    Layout layout;

    @Option(names = "--repeats", split = ",", paramLabel = "R1,R2,..",
            description = "Block-unit ResNet (Table 3 of seed 001): conv layers per unit, e.g. 1,10,10,10.")
    int[] repeats;

    /** The spec for images like {@code data}'s (input channels, classes, size). */
    public ModelSpec spec(ImageSet data) {
        return spec(layout, repeats, data.channels(), data.classes(), Math.min(data.height(), data.width()));
    }

    static ModelSpec spec(Layout layout, int[] repeats, int channels, int classes, int size) {
        return repeats == null ? PlainCnnSpec.of(layout, channels, classes, size)
                : new BlockResNetSpec(channels, classes, layout.widths(), repeats);
    }
}
