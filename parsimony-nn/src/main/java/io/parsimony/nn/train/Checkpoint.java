package io.parsimony.nn.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.InputException;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.ModelSpec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A resumable training state in one file: a JSON header (model spec, recipe, epochs done,
 * step, normalisation, input shape), then the block's parameters (incl. BatchNorm running
 * statistics), then the optimizer state. Written to a temporary file and renamed over the old
 * one, so a crash leaves either the previous checkpoint or the new one, never half of one.
 */
public final class Checkpoint {

    static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x50534D59;   // "PSMY"
    private static final int FORMAT = 1;
    static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint says about its run. */
    public record Header(ModelSpec spec, TrainingRecipe recipe, int epochsDone, long step, Normalization normalization,
                         String data, int channels, int height, int width, List<String> classNames) {
    }

    private Checkpoint() {
    }

    public static Path path(Path runDir) {
        return runDir.resolve(FILE);
    }

    static void write(Path runDir, Header header, Block block, List<NDArray> optimizerState) {
        Path target = path(runDir);
        Path tmp = runDir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(runDir);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                byte[] json = JSON.writeValueAsBytes(header);
                out.writeInt(json.length);
                out.write(json);
                block.saveParameters(out);
                out.writeInt(optimizerState.size());
                for (NDArray s : optimizerState) {
                    byte[] b = s.encode();
                    out.writeInt(b.length);
                    out.write(b);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header (cheap; used to rebuild the model before loading weights). */
    public static Header readHeader(Path file) {
        try (DataInputStream in = open(file)) {
            return header(in, file);
        } catch (IOException e) {
            throw corrupt(file, e);
        }
    }

    /** Loads parameters into {@code block} (already built and initialised) and returns the optimizer state. */
    static List<NDArray> load(Path file, Block block, NDManager manager) {
        try (DataInputStream in = open(file)) {
            header(in, file);
            block.loadParameters(manager, in);
            int n = in.readInt();
            List<NDArray> state = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                state.add(NDArray.decode(manager, b));
            }
            return state;
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            throw corrupt(file, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputException("no checkpoint at " + file + ": train first, or point --run at a run directory holding " + FILE);
        }
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    private static Header header(DataInputStream in, Path file) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new InputException(file + " is not a Parsimony checkpoint (wrong magic number)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new InputException(file + " has checkpoint format " + format + ", this Parsimony reads " + FORMAT);
        }
        int len = in.readInt();
        if (len < 0 || len > (1 << 24)) {
            throw new InputException(file + " is corrupt (header length " + len + ")");
        }
        byte[] json = new byte[len];
        in.readFully(json);
        return JSON.readValue(new String(json, StandardCharsets.UTF_8), Header.class);
    }

    private static InputException corrupt(Path file, Exception e) {
        if (e instanceof InputException ie) {
            return ie;
        }
        return new InputException(file + " is truncated or corrupt (" + e.getClass().getSimpleName()
                + "); delete it to start over, or resume from a copy");
    }
}
