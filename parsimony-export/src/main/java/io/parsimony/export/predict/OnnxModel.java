package io.parsimony.export.predict;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import io.parsimony.InputException;
import io.parsimony.nn.train.TrainingJson;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX file run with ONNX Runtime: any (N, C, H, W) float image classifier, with class names
 * from Parsimony's metadata when the file has them ("class 0", "class 1", ... otherwise). The
 * graph is expected to take pixels in [0, 1], as Parsimony's exports do (they standardise inside).
 */
public final class OnnxModel implements Classifier {

    private final OrtSession session;
    private final String input;
    private final long[] shape;
    private final List<String> classes;

    private OnnxModel(OrtSession session, String input, long[] shape, List<String> classes) {
        this.session = session;
        this.input = input;
        this.shape = shape;
        this.classes = classes;
    }

    /** Opens {@code file}; a missing, unreadable or invalid file is one InputException line. */
    public static OnnxModel open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("no ONNX file at " + file + ": export one with parsimony export --format onnx");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        OrtSession session = null;
        try {
            session = OrtEnvironment.getEnvironment().createSession(bytes, new OrtSession.SessionOptions());
            if (session.getInputNames().size() != 1 || session.getOutputNames().isEmpty()) {
                throw new InputException(file + " has " + session.getInputNames().size()
                        + " inputs; predict runs image classifiers with one (N, C, H, W) input");
            }
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            if (!(in.getValue().getInfo() instanceof TensorInfo t) || t.getShape().length != 4 || t.getShape()[1] < 1
                    || t.getShape()[2] < 1 || t.getShape()[3] < 1) {
                throw new InputException(file + "'s input " + in.getKey()
                        + " is not a (N, C, H, W) tensor of fixed image size; predict needs one");
            }
            long[] shape = t.getShape();
            List<String> classes = classNames(session, file);
            return new OnnxModel(session, in.getKey(), shape, classes);
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // already failing
                }
            }
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(file + " is not a valid ONNX model (" + firstLine(e.getMessage())
                    + "); export it again with parsimony export --format onnx");
        }
    }

    private static List<String> classNames(OrtSession session, Path file) throws OrtException {
        String json = session.getMetadata().getCustomMetadata().get("parsimony.classes");
        if (json != null) {
            try {
                return TrainingJson.MAPPER.readValue(json, new TypeReference<List<String>>() {
                });
            } catch (IOException e) {
                throw new InputException(file + " has unreadable class names in its metadata (" + e.getMessage() + ")");
            }
        }
        NodeInfo out = session.getOutputInfo().values().iterator().next();
        long n = out.getInfo() instanceof TensorInfo t && t.getShape().length == 2 ? t.getShape()[1] : -1;
        if (n < 1) {
            throw new InputException(file + "'s output is not a (N, classes) tensor; predict needs class scores");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("class " + i);
        }
        return names;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.strip().lines().findFirst().orElse("unreadable");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    @Override
    public int channels() {
        return (int) shape[1];
    }

    @Override
    public int height() {
        return (int) shape[2];
    }

    @Override
    public int width() {
        return (int) shape[3];
    }

    @Override
    public List<String> classNames() {
        return classes;
    }

    /** Logits (N × classes, row-major) of {@code n} images of pixels in [0, 1], NCHW. */
    @Override
    public float[] logits(float[] pixels, int n) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, shape[1], shape[2], shape[3]});
             OrtSession.Result r = session.run(Map.of(input, t))) {
            float[][] out = (float[][]) r.get(0).getValue();
            float[] flat = new float[n * out[0].length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(out[i], 0, flat, i * out[i].length, out[i].length);
            }
            return flat;
        } catch (OrtException e) {
            throw new InputException("ONNX Runtime could not run the model: " + firstLine(e.getMessage()));
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
