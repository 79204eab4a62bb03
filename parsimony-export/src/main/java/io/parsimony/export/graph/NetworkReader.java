package io.parsimony.export.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.parsimony.nn.model.RepeatedBatchNorm;
import io.parsimony.nn.model.RepeatedConv2d;
import io.parsimony.nn.train.TrainingRun;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a restored DJL block into {@link Layer}s by walking the blocks Parsimony's families are
 * built from (sequential and residual containers, Conv2d, BatchNorm, Linear, the repeated layers
 * of rescaled nets, and DJL's named lambda blocks for ReLU, pooling and flattening). A block it
 * does not know is a bug in the exporter, not a user error, so it throws IllegalStateException:
 * a new family must be taught here (and is caught by the round-trip tests).
 */
public final class NetworkReader {

    /** DJL's BatchNorm default, which no Parsimony family changes. */
    static final float BATCH_NORM_EPSILON = 1e-5f;

    private final Map<Parameter, Tensor> tensors = new IdentityHashMap<>();
    private final Map<String, Integer> counters = new java.util.HashMap<>();
    /** Channels of the tensor flowing at the current point of the walk. */
    private int channels;

    private NetworkReader() {
    }

    public static Network read(TrainingRun.Trained trained) {
        var h = trained.header();
        if (h.spec() instanceof io.parsimony.nn.model.P4CnnSpec
                || h.spec() instanceof io.parsimony.nn.model.RescaledSpec r && r.tiles() == io.parsimony.nn.model.RescaledSpec.Tiles.PLAIN) {
            throw new io.parsimony.InputException(h.spec().describe() + " cannot be exported: the exporters write plain, residual,"
                    + " DACNN and rotated-tile rescaled networks only (p4 group convs and plain tiles are not implemented there)");
        }
        NetworkReader reader = new NetworkReader();
        reader.channels = h.channels();
        List<Layer> layers = reader.walk(trained.block());
        return new Network(h.spec(), layers, h.channels(), h.height(), h.width(), h.normalization(), h.classNames());
    }

    private List<Layer> walk(Block block) {
        List<Layer> out = new ArrayList<>();
        add(block, out);
        return out;
    }

    private void add(Block b, List<Layer> out) {
        if (b instanceof SequentialBlock s) {
            s.getChildren().values().forEach(c -> add(c, out));
        } else if (b instanceof ParallelBlock p) {
            List<Block> branches = p.getChildren().values();
            if (branches.size() != 2) {
                throw new IllegalStateException("a residual block has two branches, got " + branches.size());
            }
            int in = channels;
            List<Layer> main = walk(branches.get(0));
            int after = channels;
            channels = in;
            List<Layer> shortcut = walk(branches.get(1));
            channels = after;
            out.add(new Layer.Residual(main, shortcut));
        } else if (b instanceof Conv2d c) {
            int k = (int) c.getKernelShape().get(0);
            if (c.getGroups() != 1 || c.getDilation().get(0) != 1 || c.getStride().get(0) != c.getStride().get(1)
                    || c.getKernelShape().get(1) != k) {
                throw new IllegalStateException("only square, ungrouped, undilated convs are exported");
            }
            channels = c.getFilters();
            Tensor bias = c.isIncludeBias() ? tensor("conv", "bias", param(c, "bias")) : null;
            out.add(new Layer.Conv(tensor("conv", "weight", param(c, "weight")), bias, (int) c.getStride().get(0),
                    (int) c.getPadding().get(0)));
        } else if (b instanceof BatchNorm n) {
            out.add(new Layer.Norm(tensor("bn", "scale", param(n, "gamma")), tensor("bn", "shift", param(n, "beta")),
                    tensor("bn", "mean", param(n, "runningMean")), tensor("bn", "variance", param(n, "runningVar")),
                    BATCH_NORM_EPSILON));
        } else if (b instanceof Linear f) {
            Tensor w = tensor("fc", "weight", param(f, "weight"));
            if (!out.isEmpty() && out.get(out.size() - 1) instanceof Layer.FoldGroups) {
                out.set(out.size() - 1, new Layer.FoldGroups(channels / w.dim(1)));
            }
            out.add(new Layer.Linear(w, tensor("fc", "bias", param(f, "bias"))));
            channels = w.dim(0);
        } else if (b instanceof RepeatedConv2d r) {
            channels = r.out();
            out.add(new Layer.GeneratedConv(tensor("base", "weight", r.base()), tensor("rep", "coefficients", r.coefficients()),
                    r.in(), r.out(), r.kernel(), r.stride(), r.repetition(), r.tilesOut(), r.tilesIn()));
        } else if (b instanceof RepeatedBatchNorm r) {
            out.add(new Layer.RepeatedNorm(tensor("basebn", "scale", r.gamma()), tensor("basebn", "shift", r.beta()),
                    tensor("bn", "mean", param(r.normalise(), "runningMean")),
                    tensor("bn", "variance", param(r.normalise(), "runningVar")), BATCH_NORM_EPSILON, r.channels()));
        } else if (b instanceof LambdaBlock l) {
            lambda(l, out);
        } else {
            throw new IllegalStateException("cannot export block " + b.getClass().getName());
        }
    }

    /** DJL's lambda blocks carry only a name; Parsimony's max-pools are all 2×2 with stride 2. */
    private void lambda(LambdaBlock l, List<Layer> out) {
        switch (l.getName()) {
            case "relu", "ReLU" -> out.add(new Layer.Relu());
            case "maxPool2d" -> out.add(new Layer.MaxPool(2, 2));
            case "globalAvgPool2d" -> out.add(new Layer.GlobalAvgPool());
            case "batchFlatten", "identity" -> {
                // GlobalAvgPool already yields (N, C); the identity shortcut is the empty branch
            }
            case "foldRepetitions" -> out.add(new Layer.FoldGroups(0));   // the groups are set by the Linear after it
            default -> throw new IllegalStateException("cannot export lambda block '" + l.getName() + "'");
        }
    }

    private static Parameter param(Block b, String name) {
        for (var p : b.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue();
            }
        }
        throw new IllegalStateException(b.getClass().getSimpleName() + " has no parameter " + name);
    }

    private Tensor tensor(String layer, String kind, Parameter p) {
        Tensor known = tensors.get(p);
        if (known != null) {
            return known;
        }
        NDArray a = p.getArray();
        int i = counters.merge(layer + "." + kind, 1, Integer::sum) - 1;
        Tensor t = new Tensor(layer + i + "." + kind, a.getShape().getShape(), a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
        tensors.put(p, t);
        return t;
    }
}
