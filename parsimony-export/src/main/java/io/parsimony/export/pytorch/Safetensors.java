package io.parsimony.export.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parsimony.export.graph.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes float32 tensors as a safetensors file with DJL's own encoder ({@link NDList.Encoding#SAFETENSORS}):
 * an 8-byte little-endian header length, a JSON header (name → dtype, shape, byte offsets), then
 * the raw little-endian bytes. The generated PyTorch module reads it back in a few lines of Python
 * (Debian has no python3-safetensors); the {@code safetensors} package reads it as well.
 */
public final class Safetensors {

    private Safetensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            NDList list = new NDList();
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                NDArray a = manager.create(e.getValue().data(), new Shape(e.getValue().shape()));
                a.setName(e.getKey());
                list.add(a);
            }
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }
}
