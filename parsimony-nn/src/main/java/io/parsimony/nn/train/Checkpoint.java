package io.parsimony.nn.train;

import io.parsimony.files.AtomicFile;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.parsimony.InputException;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.ModelSpec;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A resumable training state in one file: a JSON header (model spec, recipe, epochs done,
 * step, normalisation, input shape), then the block's parameters (incl. BatchNorm running
 * statistics), then the optimizer state. Written with {@link AtomicFile}, so a crash leaves
 * either the previous checkpoint or the new one, never half of one. Every length read is
 * checked against the bytes left in the file before anything is allocated, and readers that
 * only need the weights (evaluation, analysis) stop before the optimizer state.
 */
public final class Checkpoint {

    static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x50534D59;   // "PSMY"
    private static final int FORMAT = 1;
    private static final int MAX_HEADER = 1 << 24;

    /**
     * What a checkpoint says about its run. {@code stateScale}: the learning rate the optimizer
     * state is scaled by (the fused SGD's v = lr·b, written as it lives so a resumed run continues
     * bit for bit: dividing by one rate and multiplying by the next rounds differently from the
     * uninterrupted run's single rescale); null when the state is PyTorch's b.
     */
    public record Header(ModelSpec spec, TrainingRecipe recipe, int epochsDone, long step, Normalization normalization,
                         String data, int channels, int height, int width, List<String> classNames, Double stateScale) {

        /** A header whose optimizer state (if any) is in PyTorch's form. */
        public Header(ModelSpec spec, TrainingRecipe recipe, int epochsDone, long step, Normalization normalization,
                      String data, int channels, int height, int width, List<String> classNames) {
            this(spec, recipe, epochsDone, step, normalization, data, channels, height, width, classNames, null);
        }

        /** The same run after {@code epochs} epochs and {@code steps} steps, its optimizer state scaled by {@code scale}. */
        Header at(int epochs, long steps, Double scale) {
            return new Header(spec, recipe, epochs, steps, normalization, data, channels, height, width, classNames, scale);
        }
    }

    private Checkpoint() {
    }

    public static Path path(Path runDir) {
        return runDir.resolve(FILE);
    }

    static void write(Path runDir, Header header, Block block, List<NDArray> optimizerState) {
        Path target = path(runDir);
        try {
            Files.createDirectories(runDir);
            AtomicFile.write(target, stream -> {
                DataOutputStream out = new DataOutputStream(stream);
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                byte[] json = TrainingJson.MAPPER.writeValueAsBytes(header);
                out.writeInt(json.length);
                out.write(json);
                block.saveParameters(out);
                out.writeInt(optimizerState.size());
                for (NDArray s : optimizerState) {
                    byte[] b = s.encode();
                    out.writeInt(b.length);
                    out.write(b);
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header (cheap; used to rebuild the model before loading weights). */
    public static Header readHeader(Path file) {
        try (Reader in = open(file)) {
            return in.header();
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    /** Loads the weights into {@code block} (built and initialised) without reading the optimizer state. */
    static void loadParameters(Path file, Block block, NDManager manager) {
        try (Reader in = open(file)) {
            in.header();
            block.loadParameters(manager, in.data);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    /** Loads the weights into {@code block} (built and initialised) and returns the optimizer state. */
    static List<NDArray> load(Path file, Block block, NDManager manager) {
        try (Reader in = open(file)) {
            in.header();
            block.loadParameters(manager, in.data);
            int n = in.length("the optimizer state's tensor count", 4);
            List<NDArray> state = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.length("optimizer state tensor " + (i + 1) + "'s length", 1)];
                in.data.readFully(b);
                state.add(NDArray.decode(manager, b));
            }
            if (in.remaining() != 0) {
                throw new InputException(file + " is corrupt (" + in.remaining() + " bytes after the optimizer state); "
                        + "delete it to start over, or resume from a copy");
            }
            return state;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw corrupt(file, e);
        }
    }

    private static Reader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InputException("no checkpoint at " + file + ": train first, or point --run at a run directory holding " + FILE);
        }
        return new Reader(file);
    }

    /** A checkpoint file read front to back, knowing how many bytes are left. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final long size;
        private final Counting counted;
        final DataInputStream data;

        Reader(Path file) throws IOException {
            this.file = file;
            this.size = Files.size(file);
            this.counted = new Counting(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            this.data = new DataInputStream(counted);
        }

        long remaining() {
            return size - counted.count;
        }

        /** Reads a count of items of at least {@code unit} bytes each, refused unless the file can hold them. */
        int length(String what, int unit) throws IOException {
            int n = data.readInt();
            if (n < 0 || (long) n * unit > remaining()) {
                throw new InputException(file + " is corrupt (" + what + " is " + n + ", with " + remaining()
                        + " bytes left in the file); delete it to start over, or resume from a copy");
            }
            return n;
        }

        Header header() throws IOException {
            if (data.readInt() != MAGIC) {
                throw new InputException(file + " is not a Parsimony checkpoint (wrong magic number)");
            }
            int format = data.readInt();
            if (format != FORMAT) {
                throw new InputException(file + " has checkpoint format " + format + ", this Parsimony reads " + FORMAT);
            }
            int len = length("the header length", 1);
            if (len > MAX_HEADER) {
                throw new InputException(file + " is corrupt (header length " + len + ")");
            }
            byte[] json = new byte[len];
            data.readFully(json);
            return TrainingJson.MAPPER.readValue(new String(json, StandardCharsets.UTF_8), Header.class);
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /** Counts the bytes the checkpoint readers (and DJL's parameter loader) have consumed. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }

    private static InputException corrupt(Path file, Exception e) {
        if (e instanceof InputException ie) {
            return ie;
        }
        return new InputException(file + " is truncated or corrupt (" + e.getClass().getSimpleName()
                + "); delete it to start over, or resume from a copy");
    }
}
