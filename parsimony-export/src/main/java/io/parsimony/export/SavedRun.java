package io.parsimony.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.parsimony.export.graph.Network;
import io.parsimony.export.graph.NetworkReader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.train.Checkpoint;
import io.parsimony.nn.train.TrainingRun;

import java.nio.file.Path;

/**
 * A trained network restored from a run directory on the CPU, in inference mode: what the
 * exporters read ({@link #network()}) and what {@code predict --run} runs ({@link #logits}).
 * Holds native memory: close it.
 */
public final class SavedRun implements io.parsimony.export.predict.Classifier {

    private final NDManager manager;
    private final TrainingRun.Trained trained;
    private final Checkpoint.Header header;

    private SavedRun(NDManager manager, TrainingRun.Trained trained) {
        this.manager = manager;
        this.trained = trained;
        this.header = trained.header();
    }

    /** Restores {@code runDir}'s checkpoint; a missing or corrupt one is an InputException. */
    public static SavedRun open(Path runDir) {
        Checkpoint.Header h = Checkpoint.readHeader(Checkpoint.path(runDir));
        ImageSet like = new ImageSet(new byte[0], new int[0], h.channels(), h.height(), h.width(), h.classNames(), h.data());
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            return new SavedRun(manager, TrainingRun.load(runDir, manager, like));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Checkpoint.Header header() {
        return header;
    }

    @Override
    public int channels() {
        return header.channels();
    }

    @Override
    public int height() {
        return header.height();
    }

    @Override
    public int width() {
        return header.width();
    }

    @Override
    public java.util.List<String> classNames() {
        return header.classNames();
    }

    /** The restored DJL block (inference mode is chosen per forward call). */
    public ai.djl.nn.Block block() {
        return trained.block();
    }

    /** The network as layers, with its tensors copied out of the engine. */
    public Network network() {
        return NetworkReader.read(trained);
    }

    /**
     * Logits of {@code n} images given as pixel values in [0, 1], NCHW; standardised with the
     * training normalisation exactly as the evaluator does, then run with BatchNorm's running statistics.
     */
    @Override
    public float[] logits(float[] pixels, int n) {
        int c = header.channels(), h = header.height(), w = header.width();
        Normalization norm = header.normalization();
        float[] x = new float[pixels.length];
        int plane = h * w;
        for (int i = 0; i < x.length; i++) {
            int ch = (i / plane) % c;
            x[i] = (pixels[i] - norm.mean()[ch]) / norm.std()[ch];
        }
        try (NDManager sm = manager.newSubManager()) {
            NDArray in = sm.create(x, new Shape(n, c, h, w));
            NDArray out = trained.block().forward(new ParameterStore(sm, false), new NDList(in), false).singletonOrThrow();
            return out.toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
