package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import io.parsimony.nn.model.BackboneModel;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** torchinfo-style: per-layer output shape and parameters, totals, and the analytic conv count beside the built one. */
@Command(name = "summary", mixinStandardHelpOptions = true, description = "Per-layer output shapes and parameters of a model.")
public final class SummaryCommand implements Runnable {

    @Mixin
    ModelOptions model;

    @Option(names = "--input", defaultValue = "1x28x28", paramLabel = "CxHxW", description = "Input image shape (default: ${DEFAULT-VALUE}, Fashion-MNIST).")
    String input;

    @Option(names = "--classes", defaultValue = "10", description = "Classifier outputs (default: ${DEFAULT-VALUE}).")
    int classes;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        int[] chw = parseShape(input);
        ModelSpec m = model.spec(chw[0], classes, Math.min(chw[1], chw[2]));
        ModelSummary s = ModelSummary.of(m, chw[0], chw[1], chw[2]);   // refuses a model too large before DJL allocates
        PrintWriter out = spec.commandLine().getOut();
        BackboneModel.Comparison backbone = model.model == null ? null
                : BackboneModel.parse(model.model).map(b -> b.compare(chw[0])).orElse(null);
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", m.describe());
            doc.put("spec", m);
            doc.put("summary", s);
            doc.put("analyticConvWeights", m.analyticConvWeights());
            if (backbone != null) {
                doc.put("backbone", backbone);
            }
            Output.writeJson(out, doc);
            return;
        }
        out.println(m.describe() + ", input (1, " + chw[0] + ", " + chw[1] + ", " + chw[2] + ")");
        Output.writeTable(out, s.rows(),
                Col.right("#", r -> String.valueOf(r.index())),
                Col.left("layer", ModelSummary.Row::layer),
                Col.left("output shape", ModelSummary.Row::outputShape),
                Col.right("parameters", r -> Output.thousands(r.parameters())));
        out.printf("parameters: %s (trainable %s; the rest are BatchNorm running statistics)%n",
                Output.thousands(s.parameters()), Output.thousands(s.trainable()));
        out.printf("conv weights: %s built, %s analytic (Eq. 1, projections counted; shared kernels once)%n",
                Output.thousands(s.convWeights()), Output.thousands(m.analyticConvWeights()));
        if (s.reuses() > 0) {
            out.printf("sharing: %d shared tensors used %d extra times; %s parameters if unshared, compression %.2fx%n",
                    s.sharedTensors(), s.reuses(), Output.thousands(s.unsharedParameters()), s.compression());
        }
        if (m instanceof io.parsimony.nn.model.RescaledSpec r) {
            out.printf("learnable repetition: %s coefficients on top of the base's parameters%n", Output.thousands(r.coefficients()));
        }
        if (backbone != null) {
            printBackbone(out, backbone);
        }
        if (m instanceof io.parsimony.nn.model.P4CnnSpec p) {
            out.printf("p4 group convs: %s learnable filter weights expand to a %s-weight bank (4 rotations), the conv weights of %s%n",
                    Output.thousands(p.analyticConvWeights()), Output.thousands(p.expandedConvWeights()),
                    io.parsimony.nn.model.ModelCatalog.format(p.plainTwin()));
        }
        out.flush();
    }

    /** Seed 000: the original and balanced variants side by side, whichever of the two was asked for. */
    private static void printBackbone(PrintWriter out, BackboneModel.Comparison c) {
        out.printf("seed 000 balance (conv weights only; the first conv stays fixed):%n");
        out.printf("  %-26s widths %-28s %s conv weights, shares %s, energy %s%n", c.original(),
                Arrays.toString(c.originalWidths()), Output.thousands(c.originalWeights()), percents(c.originalShares()),
                Output.energy(c.originalLogEnergy()));
        out.printf("  %-26s widths %-28s %s conv weights, shares %s, energy %s%n", c.balanced(),
                Arrays.toString(c.balancedWidths()), Output.thousands(c.balancedWeights()), percents(c.balancedShares()),
                Output.energy(c.balancedLogEnergy()));
        out.printf("  balanced/original: conv weights %+.3f%%, energy x%.3g (energy: one ln(width) factor per main-path conv)%n",
                100.0 * (c.balancedWeights() - c.originalWeights()) / c.originalWeights(),
                Math.exp(c.balancedLogEnergy() - c.originalLogEnergy()));
    }

    private static String percents(double[] shares) {
        return Arrays.stream(shares).mapToObj(x -> String.format(Locale.ROOT, "%.1f", 100 * x))
                .collect(java.util.stream.Collectors.joining("/")) + "%";
    }

    static int[] parseShape(String text) {
        String[] p = text.toLowerCase().split("x");
        try {
            if (p.length != 3) {
                throw new NumberFormatException();
            }
            int[] v = {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
            if (v[0] < 1 || v[1] < 1 || v[2] < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new io.parsimony.cli.output.UserException("--input '" + text + "' is not CxHxW with positive sizes, e.g. 3x32x32");
        }
    }
}
