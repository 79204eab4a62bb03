package io.parsimony.export.pytorch;

import io.parsimony.InputException;
import io.parsimony.export.SavedRun;
import io.parsimony.export.graph.Layer;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.Tensor;
import io.parsimony.nn.train.TrainingJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code parsimony export --format pytorch}: a folder with {@value #WEIGHTS} (every distinct tensor
 * once) and {@value #MODULE}, a generated {@code torch.nn.Module} whose forward is the network
 * written out with {@code torch.nn.functional}. A shared kernel is one {@code nn.Parameter} used by
 * every conv that shares it, generated kernels are rebuilt from their base tensor in forward (so
 * fine-tuning trains what Parsimony trained), BatchNorm running statistics are buffers updated in
 * train mode with PyTorch's momentum 0.1 (DJL's 0.9). The input is pixels in [0, 1]; the module
 * standardises them with the training normalisation.
 */
public final class PyTorchExport {

    public static final String WEIGHTS = "model.safetensors";
    public static final String MODULE = "parsimony_model.py";

    private final Map<Tensor, String> names = new IdentityHashMap<>();
    private final Map<String, Tensor> byName = new LinkedHashMap<>();
    private final List<String> buffers = new ArrayList<>();
    private final StringBuilder forward = new StringBuilder();
    private int temps;

    private PyTorchExport() {
    }

    public static Network export(Path runDir, Path folder) {
        try (SavedRun run = SavedRun.open(runDir)) {
            Network net = run.network();
            write(net, folder);
            return net;
        }
    }

    public static void write(Network net, Path folder) {
        PyTorchExport w = new PyTorchExport();
        String x = w.emit(net.layers(), "x");
        w.line("return " + x);
        try {
            Files.createDirectories(folder);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int c = net.channels();
            tensors.put("input_mean", new Tensor("input_mean", new long[] {1, c, 1, 1}, java.util.Arrays.copyOf(net.normalization().mean(), c)));
            tensors.put("input_std", new Tensor("input_std", new long[] {1, c, 1, 1}, java.util.Arrays.copyOf(net.normalization().std(), c)));
            tensors.putAll(w.byName);
            Safetensors.write(folder.resolve(WEIGHTS), tensors);
            Files.writeString(folder.resolve(MODULE), w.module(net), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot write " + folder + ": " + e.getMessage());
        }
    }

    private String emit(List<Layer> layers, String x) {
        for (Layer l : layers) {
            x = emit(l, x);
        }
        return x;
    }

    private String emit(Layer l, String x) {
        String y = "h" + temps++;
        if (l instanceof Layer.Conv c) {
            line(y + " = F.conv2d(" + x + ", " + param(c.weight()) + ", " + (c.bias() == null ? "None" : param(c.bias()))
                    + ", stride=" + c.stride() + ", padding=" + c.padding() + ")");
        } else if (l instanceof Layer.GeneratedConv g) {
            line(y + " = F.conv2d(" + x + ", generated_kernel(" + param(g.base()) + ", " + param(g.coefficients()) + ", "
                    + g.out() + ", " + g.in() + ", " + g.repetition() + ", " + g.tilesOut() + ", " + g.tilesIn()
                    + "), None, stride=" + g.stride() + ", padding=" + g.kernel() / 2 + ")");
        } else if (l instanceof Layer.Norm n) {
            line(y + " = F.batch_norm(" + x + ", " + buffer(n.mean()) + ", " + buffer(n.variance()) + ", " + param(n.scale())
                    + ", " + param(n.shift()) + ", self.training, 0.1, " + eps(n.epsilon()) + ")");
        } else if (l instanceof Layer.RepeatedNorm n) {
            line(y + " = F.batch_norm(" + x + ", " + buffer(n.mean()) + ", " + buffer(n.variance()) + ", repeated("
                    + param(n.baseScale()) + ", " + n.channels() + "), repeated(" + param(n.baseShift()) + ", " + n.channels()
                    + "), self.training, 0.1, " + eps(n.epsilon()) + ")");
        } else if (l instanceof Layer.Affine a) {
            line(y + " = " + x + " * " + param(a.scale()) + ".view(1, -1, 1, 1) + " + param(a.shift()) + ".view(1, -1, 1, 1)");
        } else if (l instanceof Layer.Relu) {
            line(y + " = F.relu(" + x + ")");
        } else if (l instanceof Layer.MaxPool p) {
            line(y + " = F.max_pool2d(" + x + ", " + p.kernel() + ", " + p.stride() + ")");
        } else if (l instanceof Layer.GlobalAvgPool) {
            line(y + " = " + x + ".mean(dim=(2, 3))");
        } else if (l instanceof Layer.FoldGroups f) {
            line(y + " = " + x + ".reshape(" + x + ".shape[0], " + f.groups() + ", -1).mean(1)");
        } else if (l instanceof Layer.Linear f) {
            line(y + " = F.linear(" + x + ", " + param(f.weight()) + ", " + param(f.bias()) + ")");
        } else {
            Layer.Residual r = (Layer.Residual) l;
            String main = emit(r.main(), x), shortcut = emit(r.shortcut(), x);
            line(y + " = F.relu(" + main + " + " + shortcut + ")");
        }
        return y;
    }

    private static String eps(float e) {
        return String.format(Locale.ROOT, "%.1e", e);
    }

    private void line(String s) {
        forward.append("        ").append(s).append('\n');
    }

    private String param(Tensor t) {
        return "self." + name(t);
    }

    private String buffer(Tensor t) {
        String n = name(t);
        if (!buffers.contains(n)) {
            buffers.add(n);
        }
        return "self." + n;
    }

    private String name(Tensor t) {
        return names.computeIfAbsent(t, k -> {
            String base = t.name().replaceAll("[^A-Za-z0-9]", "_"), n = base;
            for (int i = 2; byName.containsKey(n); i++) {
                n = base + "_" + i;
            }
            byName.put(n, t);
            return n;
        });
    }

    private String module(Network net) throws IOException {
        StringBuilder init = new StringBuilder();
        for (Map.Entry<String, Tensor> e : byName.entrySet()) {
            String shape = java.util.Arrays.toString(e.getValue().shape()).replace('[', '(').replace(']', ')');
            if (e.getValue().shape().length == 1) {
                shape = shape.replace(")", ",)");
            }
            init.append(buffers.contains(e.getKey())
                    ? "        self.register_buffer(\"" + e.getKey() + "\", torch.zeros(" + shape + "))\n"
                    : "        self." + e.getKey() + " = nn.Parameter(torch.zeros(" + shape + "))\n");
        }
        int c = net.channels();
        String template = new String(PyTorchExport.class.getResourceAsStream("parsimony_model.py.template").readAllBytes(),
                StandardCharsets.UTF_8);
        return template.replace("@MODEL@", net.spec().describe())
                .replace("@CLASSES@", TrainingJson.MAPPER.writeValueAsString(net.classNames()))
                .replace("@SHAPE@", c + ", " + net.height() + ", " + net.width())
                .replace("@CHANNELS@", String.valueOf(c))
                .replace("@INIT@", init.toString())
                .replace("@FORWARD@", forward.toString());
    }
}
