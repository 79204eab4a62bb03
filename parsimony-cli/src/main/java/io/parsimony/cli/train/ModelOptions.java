package io.parsimony.cli.train;

import io.parsimony.cli.options.LayoutConverter;
import io.parsimony.cli.output.UserException;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSize;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import picocli.CommandLine.Option;

/**
 * Which network: a plain CNN from --layout (a block-unit ResNet with --repeats), or any model
 * by name with --model (a DACNN preset, plain:/resnet: text, @wWdD rescaling).
 */
public final class ModelOptions {

    @Option(names = {"-l", "--layout"}, converter = LayoutConverter.class, paramLabel = "N1,N2,..",
            description = "Widths, e.g. 35,36,37,43.")
    Layout layout;

    @Option(names = "--repeats", split = ",", paramLabel = "R1,R2,..",
            description = "Block-unit ResNet (Table 3 of seed 001): conv layers per unit, e.g. 1,10,10,10.")
    int[] repeats;

    @Option(names = {"-m", "--model"}, paramLabel = "SPEC",
            description = "A model by name instead: dacnn-34-mix-reg, resnet-18, plain:8,16,32,64@w2d2, ...")
    String model;

    /**
     * The spec for images like {@code data}'s (input channels, classes, size), refused in one
     * line when it could not even be built in this machine's memory ({@link ModelSize}).
     */
    public ModelSpec spec(ImageSet data) {
        ModelSpec spec = spec(data.channels(), data.classes(), Math.min(data.height(), data.width()));
        ModelSize.of(spec, data.height(), data.width()).requireBuildable();
        return spec;
    }

    ModelSpec spec(int channels, int classes, int size) {
        if ((layout == null) == (model == null)) {
            throw new UserException("give the network either with --layout N1,N2,.. or with --model SPEC (not both)");
        }
        if (model != null) {
            if (repeats != null) {
                throw new UserException("--repeats goes with --layout; with --model write resnet:WIDTHS/REPEATS");
            }
            return ModelCatalog.parse(model, channels, classes, size);
        }
        return repeats == null ? PlainCnnSpec.of(layout, channels, classes, size)
                : new BlockResNetSpec(channels, classes, layout.widths(), repeats);
    }
}
