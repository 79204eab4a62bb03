package io.parsimony.export.pytorch;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.parsimony.export.graph.Tensor;
import io.parsimony.nn.train.TrainingJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes float32 tensors in the safetensors format: an 8-byte little-endian header length, a
 * JSON header (name → dtype, shape, byte offsets; "__metadata__" → strings), then the raw
 * little-endian bytes. No Java library for it is on Maven Central and the format is a page long,
 * so it is written here; the generated PyTorch module reads it back in a few lines of Python
 * (Debian has no python3-safetensors), and the {@code safetensors} package reads it as well.
 */
public final class Safetensors {

    private Safetensors() {
    }

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = e.getValue().size() * 4;
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(), "data_offsets", List.of(offset, offset + bytes)));
            offset += bytes;
        }
        byte[] json = json(header);
        int padded = (json.length + 7) / 8 * 8;   // the format recommends 8-byte alignment of the data
        byte[] head = new byte[padded];
        java.util.Arrays.fill(head, (byte) ' ');
        System.arraycopy(json, 0, head, 0, json.length);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(head);
            for (Tensor t : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
    }

    private static byte[] json(Map<String, Object> header) {
        try {
            return TrainingJson.MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
