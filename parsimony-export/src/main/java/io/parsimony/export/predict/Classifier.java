package io.parsimony.export.predict;

import java.util.List;

/** Something that maps C×H×W images with pixels in [0, 1] to class logits: a run's network or an ONNX file. */
public interface Classifier extends AutoCloseable {

    /** Channels of the images it takes. */
    int channels();

    /** Rows of the images it takes. */
    int height();

    /** Columns of the images it takes. */
    int width();

    /** One name per output, in output order. */
    List<String> classNames();

    /** Logits, N × classes row-major, of {@code n} NCHW images of pixels in [0, 1]. */
    float[] logits(float[] pixels, int n);

    @Override
    void close();
}
