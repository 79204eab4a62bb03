package io.parsimony.export.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import io.parsimony.InputException;
import io.parsimony.export.graph.Layer;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.Tensor;
import io.parsimony.nn.train.TrainingJson;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Network} as an ONNX model with the classes protoc generates from the official
 * {@code onnx.proto}. The graph takes {@value #INPUT}: float32 (N, C, H, W) pixels in [0, 1], and
 * standardises them with the training normalisation as its first two nodes (Sub, Div), so a user
 * feeds plain pixels; it returns {@value #OUTPUT} (N, classes). Each distinct tensor is one
 * initializer, referenced by every node that uses it: a DACNN's shared kernel is stored once.
 * Generated (learnable repetition) kernels are written as the ops that build them from the base
 * tensor — Slice (flip), Transpose, Gather, Mul, Concat, Slice (crop) — so the file keeps the base
 * network's size; materialise them first for a file of plain convs.
 */
public final class OnnxWriter {

    public static final String INPUT = "pixels";
    public static final String OUTPUT = "logits";
    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 13;
    /** The newest opset the bundled ONNX Runtime (1.20) runs, which the round-trip tests use. */
    public static final int MAX_OPSET = 21;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Tensor, String> written = new IdentityHashMap<>();
    private final java.util.Set<String> names = new java.util.HashSet<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> rotated = new HashMap<>();
    private final int opset;
    private int nodes;

    private OnnxWriter(int opset) {
        this.opset = opset;
    }

    /** Refuses opsets outside {@value #MIN_OPSET}..{@value #MAX_OPSET} with a one-line message. */
    public static int checkOpset(int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new InputException("opset " + opset + " is not supported: use " + MIN_OPSET + ".." + MAX_OPSET
                    + " (default " + DEFAULT_OPSET + ")");
        }
        return opset;
    }

    public static ModelProto write(Network net, int opset) {
        checkOpset(opset);
        OnnxWriter w = new OnnxWriter(opset);
        String x = w.standardise(net);
        for (Layer l : net.layers()) {
            x = w.layer(l, x);
        }
        w.graph.setName("parsimony").addInput(valueInfo(INPUT, "N", net.channels(), net.height(), net.width()))
                .addOutput(valueInfo(w.rename(x), "N", net.classNames().size()));
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(opset <= 18 ? 8 : opset <= 20 ? 9 : 10)
                .setProducerName("parsimony").setProducerVersion("0.1.0")
                .setDocString(net.spec().describe() + "; input " + INPUT + ": float32 (N, " + net.channels() + ", "
                        + net.height() + ", " + net.width() + ") pixels in [0, 1], standardised in the graph; output "
                        + OUTPUT + ": (N, " + net.classNames().size() + ") logits")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(w.graph);
        metadata(net).forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** What the file says about the network: spec, class names, input and its normalisation. */
    static Map<String, String> metadata(Network net) {
        try {
            var json = TrainingJson.MAPPER;
            Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("parsimony.model", net.spec().describe());
            m.put("parsimony.spec", json.writeValueAsString(net.spec()));
            m.put("parsimony.classes", json.writeValueAsString(net.classNames()));
            m.put("parsimony.input", "float32 NCHW (N," + net.channels() + "," + net.height() + "," + net.width()
                    + "), pixel values / 255 in [0,1], " + (net.channels() == 1 ? "grey" : "RGB"));
            m.put("parsimony.normalization.mean", json.writeValueAsString(net.normalization().mean()));
            m.put("parsimony.normalization.std", json.writeValueAsString(net.normalization().std()));
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the model spec as JSON", e);
        }
    }

    /** The final node writes {@value #OUTPUT}: an Identity keeps every other name internal. */
    private String rename(String last) {
        node("Identity", List.of(last), OUTPUT);
        return OUTPUT;
    }

    private String standardise(Network net) {
        int c = net.channels();
        float[] mean = net.normalization().mean(), std = net.normalization().std();
        String m = initializer(new Tensor("input.mean", new long[] {1, c, 1, 1}, Arrays.copyOf(mean, c)));
        String s = initializer(new Tensor("input.std", new long[] {1, c, 1, 1}, Arrays.copyOf(std, c)));
        return node("Div", List.of(node("Sub", List.of(INPUT, m)), s));
    }

    private String layer(Layer l, String x) {
        if (l instanceof Layer.Conv c) {
            return node("Conv", c.bias() == null ? List.of(x, initializer(c.weight()))
                            : List.of(x, initializer(c.weight()), initializer(c.bias())), null,
                    ints("kernel_shape", c.weight().dim(2), c.weight().dim(3)), ints("strides", c.stride(), c.stride()),
                    ints("pads", c.padding(), c.padding(), c.padding(), c.padding()));
        }
        if (l instanceof Layer.GeneratedConv g) {
            int pad = g.kernel() / 2;
            return node("Conv", List.of(x, generated(g)), null, ints("kernel_shape", g.kernel(), g.kernel()),
                    ints("strides", g.stride(), g.stride()), ints("pads", pad, pad, pad, pad));
        }
        if (l instanceof Layer.Norm n) {
            return node("BatchNormalization", List.of(x, initializer(n.scale()), initializer(n.shift()),
                    initializer(n.mean()), initializer(n.variance())), null, floatAttr("epsilon", n.epsilon()));
        }
        if (l instanceof Layer.RepeatedNorm n) {
            return node("BatchNormalization", List.of(x, repeated(n.baseScale(), n.channels()),
                    repeated(n.baseShift(), n.channels()), initializer(n.mean()), initializer(n.variance())), null,
                    floatAttr("epsilon", n.epsilon()));
        }
        if (l instanceof Layer.Affine a) {
            return node("Add", List.of(node("Mul", List.of(x, perChannel(a.scale()))), perChannel(a.shift())));
        }
        if (l instanceof Layer.Relu) {
            return node("Relu", List.of(x));
        }
        if (l instanceof Layer.MaxPool p) {
            return node("MaxPool", List.of(x), null, ints("kernel_shape", p.kernel(), p.kernel()),
                    ints("strides", p.stride(), p.stride()));
        }
        if (l instanceof Layer.GlobalAvgPool) {
            return node("Flatten", List.of(node("GlobalAveragePool", List.of(x))), null, intAttr("axis", 1));
        }
        if (l instanceof Layer.FoldGroups f) {
            String grouped = node("Reshape", List.of(x, int64("shape", 0, f.groups(), -1)));
            return opset >= 18
                    ? node("ReduceMean", List.of(grouped, int64("axes", 1)), null, intAttr("keepdims", 0))
                    : node("ReduceMean", List.of(grouped), null, ints("axes", 1), intAttr("keepdims", 0));
        }
        if (l instanceof Layer.Linear f) {
            return node("Gemm", List.of(x, initializer(f.weight()), initializer(f.bias())), null, intAttr("transB", 1));
        }
        Layer.Residual r = (Layer.Residual) l;
        String main = x, shortcut = x;
        for (Layer m : r.main()) {
            main = layer(m, main);
        }
        for (Layer s : r.shortcut()) {
            shortcut = layer(s, shortcut);
        }
        return node("Relu", List.of(node("Add", List.of(main, shortcut))));
    }

    /** The kernel of a generated conv as ops over its base tensor and coefficients. */
    private String generated(Layer.GeneratedConv g) {
        String base = initializer(g.base()), coefficients = initializer(g.coefficients());
        String[] rows = new String[g.tilesOut()];
        for (int a = 0; a < g.tilesOut(); a++) {
            String[] tiles = new String[g.tilesIn()];
            for (int b = 0; b < g.tilesIn(); b++) {
                String alpha = node("Gather", List.of(coefficients, int64Scalar(a * g.tilesIn() + b)));
                tiles[b] = node("Mul", List.of(rotation(base, g.turns(a, b)), alpha));
            }
            rows[a] = tiles.length == 1 ? tiles[0] : node("Concat", List.of(tiles), null, intAttr("axis", 1));
        }
        String full = rows.length == 1 ? rows[0] : node("Concat", List.of(rows), null, intAttr("axis", 0));
        long bo = g.base().shape()[0], bi = g.base().shape()[1];
        if (bo * g.tilesOut() == g.out() && bi * g.tilesIn() == g.in()) {
            return full;
        }
        return node("Slice", List.of(full, int64("starts", 0, 0), int64("ends", g.out(), g.in()), int64("axes", 0, 1)));
    }

    /** torch.rot90(w, t, dims=(2, 3)): t=1 flip W then swap H, W; t=2 flip both; t=3 flip H then swap. */
    private String rotation(String w, int t) {
        return rotated.computeIfAbsent(w + "@" + t, k -> t == 0 ? w : t == 1 ? transposeHw(flip(w, 3))
                : t == 2 ? flip(flip(w, 2), 3) : transposeHw(flip(w, 2)));
    }

    private String flip(String w, int axis) {
        return node("Slice", List.of(w, int64("starts", -1), int64("ends", Long.MIN_VALUE), int64("axes", axis),
                int64("steps", -1)));
    }

    private String transposeHw(String w) {
        return node("Transpose", List.of(w), null, ints("perm", 0, 1, 3, 2));
    }

    /** A vector repeated cyclically to {@code channels}: Tile then Slice, over the one base tensor. */
    private String repeated(Tensor base, int channels) {
        String b = initializer(base);
        long n = base.size();
        if (n == channels) {
            return b;
        }
        String tiled = node("Tile", List.of(b, int64("repeats", (channels + n - 1) / n)));
        return node("Slice", List.of(tiled, int64("starts", 0), int64("ends", channels), int64("axes", 0)));
    }

    /** A (C) vector as (1, C, 1, 1) for broadcasting over NCHW. */
    private String perChannel(Tensor v) {
        return initializer(new Tensor(v.name(), new long[] {1, v.size(), 1, 1}, v.data()));
    }

    private String initializer(Tensor t) {
        return written.computeIfAbsent(t, k -> {
            ByteBuffer buf = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.data());
            String name = t.name();
            for (int i = 2; !names.add(name); i++) {
                name = t.name() + "#" + i;   // distinct tensors that a rewrite named alike
            }
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                    .addAllDims(Arrays.stream(t.shape()).boxed().toList()).setRawData(ByteString.copyFrom(buf.array())));
            return name;
        });
    }

    private String int64(String what, long... values) {
        return constants.computeIfAbsent(what + Arrays.toString(values), k -> {
            String name = "const." + what + constants.size();
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                    .addDims(values.length).addAllInt64Data(Arrays.stream(values).boxed().toList()));
            return name;
        });
    }

    private String int64Scalar(long value) {
        return constants.computeIfAbsent("index" + value, k -> {
            String name = "const.index" + value;
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                    .addInt64Data(value));
            return name;
        });
    }

    private String node(String op, List<String> inputs) {
        return node(op, inputs, null);
    }

    private String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        String name = op.toLowerCase(java.util.Locale.ROOT) + "_" + nodes++;
        String out = output == null ? name : output;
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(out)
                .addAllAttribute(List.of(attributes)));
        return out;
    }

    private static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(values).boxed().toList()).build();
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static ValueInfoProto valueInfo(String name, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
