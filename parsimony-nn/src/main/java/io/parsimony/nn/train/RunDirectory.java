package io.parsimony.nn.train;

import io.parsimony.files.AtomicFile;
import ai.djl.nn.Block;
import io.parsimony.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one run and the rules for them: {@code checkpoint.bin} (rewritten atomically every
 * epoch), {@code metrics.jsonl} (one line appended per epoch) and {@code result.json}. A fresh run
 * never overwrites a checkpoint; only a resume continues one.
 */
public final class RunDirectory {

    static final String METRICS = "metrics.jsonl";
    static final String RESULT = "result.json";

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path checkpoint() {
        return Checkpoint.path(dir);
    }

    /** Makes the directory ready for a fresh run: refused if it holds a checkpoint, stale metrics and result removed. */
    void prepareFresh() {
        if (Files.isRegularFile(checkpoint())) {
            throw new InputException("run directory " + dir + " already holds a checkpoint; add --resume to continue it, "
                    + "or choose another --run directory");
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(METRICS));
            Files.deleteIfExists(dir.resolve(RESULT));
        } catch (IOException e) {
            throw new InputException("cannot use run directory " + dir + ": " + e.getMessage());
        }
    }

    /** The epochs recorded so far (empty when there is no metrics file). */
    public List<EpochMetrics> history() {
        Path f = dir.resolve(METRICS);
        List<EpochMetrics> h = new ArrayList<>();
        try {
            if (Files.isRegularFile(f)) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        h.add(TrainingJson.MAPPER.readValue(line, EpochMetrics.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new InputException(f + " is unreadable (" + e.getMessage() + "); remove it to resume without history");
        }
        return h;
    }

    void appendMetrics(EpochMetrics m) {
        try {
            Files.writeString(dir.resolve(METRICS), TrainingJson.MAPPER.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeResult(TrainingRun.Result result) {
        try {
            AtomicFile.write(dir.resolve(RESULT), TrainingJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The result written here by a run of {@code spec} with {@code recipe} that trained to its
     * end, or empty (no result yet, or a run stopped early). A result of another model or recipe
     * is refused: one directory holds one run.
     */
    public java.util.Optional<TrainingRun.Result> finished(io.parsimony.nn.model.ModelSpec spec, TrainingRecipe recipe) {
        Path f = dir.resolve(RESULT);
        if (!Files.isRegularFile(f)) {
            return java.util.Optional.empty();
        }
        TrainingRun.Result r;
        try {
            r = TrainingJson.MAPPER.readValue(f.toFile(), TrainingRun.Result.class);
        } catch (IOException e) {
            throw new InputException(f + " is unreadable (" + e.getMessage() + "); remove it to train that run again");
        }
        if (!r.spec().equals(spec) || !sameRecipe(r.recipe(), recipe)) {
            throw new InputException(dir + " holds a run of " + r.spec().describe() + " with "
                    + (r.spec().equals(spec) ? "another recipe" : "another model") + "; continue with the flags it was "
                    + "started with or choose another --run directory");
        }
        return r.completed() && r.test() != null ? java.util.Optional.of(r) : java.util.Optional.empty();
    }

    static boolean sameRecipe(TrainingRecipe a, TrainingRecipe b) {
        try {
            return TrainingJson.MAPPER.writeValueAsString(a).equals(TrainingJson.MAPPER.writeValueAsString(b));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a diverged run can be taken up again, for its one-line message. */
    String lastGood() {
        Path ckpt = checkpoint();
        return Files.isRegularFile(ckpt)
                ? "last good checkpoint: " + ckpt + " (epoch " + Checkpoint.readHeader(ckpt).epochsDone() + ")"
                : "no checkpoint was written yet";
    }

    /**
     * Records every finished epoch here: the checkpoint (header {@code template} at the epoch's
     * count and step, the block's weights, the updater's state), then the metrics line.
     */
    TrainingListener recorder(Checkpoint.Header template, Block block, ParameterUpdater updater) {
        return new TrainingListener() {
            @Override
            public boolean onEpochEnd(EpochMetrics m) {
                Checkpoint.write(dir, template.at(m.epoch(), m.step(), updater.stateScale()), block, updater.state());
                appendMetrics(m);
                return true;
            }
        };
    }
}
