package io.parsimony.nn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.parsimony.InputException;
import io.parsimony.InterruptedWorkException;
import io.parsimony.nn.data.Installation;
import io.parsimony.nn.train.TrainingJson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch side of {@link TrainBench}: {@code shared/bench/torch_reference.py} run by a Python
 * with torch, one process per measurement, its last output line read as JSON; and the same
 * script's step under torch.profiler ({@code profile_reference.py}, shipped beside this class).
 */
public final class TorchReference {

    private final String python;
    private final Path script;
    private final boolean sameAllocator;

    /**
     * @param python    a Python with torch
     * @param script    torch_reference.py ({@link #findScript})
     * @param allocator "same" to run PyTorch with this process's LD_PRELOAD/MALLOC_CONF; anything else runs it stock
     */
    public TorchReference(String python, Path script, String allocator) {
        this.python = python;
        this.script = script;
        this.sameAllocator = "same".equalsIgnoreCase(allocator);
    }

    /** {@code given} when it is a file, else torch_reference.py in {@code shared/bench/} beside the installation. */
    public static Path findScript(Path given) {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new InputException("no reference script at " + given);
            }
            return given;
        }
        Path script = Installation.shared().map(d -> d.resolve("bench/torch_reference.py")).orElse(null);
        if (script != null && Files.isRegularFile(script)) {
            return script;
        }
        throw new InputException("torch_reference.py not found" + (script == null
                ? " (no installation directory: run through bin/parsimony)" : " at " + script)
                + "; pass --reference PATH or --no-reference");
    }

    /** Whether PyTorch runs with this process's allocator rather than its stock one. */
    public boolean sameAllocator() {
        return sameAllocator;
    }

    /** One timed run of {@code arch}: the script's JSON result ({@code images_per_s}, {@code torch}, ...). */
    JsonNode measure(String arch, int batch, int steps, int warmup, int threads) {
        String last = run(List.of(python, script.toString(), arch, "--batch", String.valueOf(batch),
                "--steps", String.valueOf(steps), "--warmup", String.valueOf(warmup), "--threads", String.valueOf(threads)), arch);
        if (!last.startsWith("{")) {
            throw new InputException("the PyTorch reference printed no result for " + arch + ": " + last);
        }
        try {
            return TrainingJson.MAPPER.readTree(last);
        } catch (IOException e) {
            throw new InputException("the PyTorch reference printed an unreadable result for " + arch + ": " + last);
        }
    }

    /** One profiled run of {@code arch}; its Chrome trace goes to {@code trace}. */
    void profile(String arch, int batch, int steps, int warmup, int threads, Path trace) throws IOException {
        Path wrapper = Files.createTempFile("profile_reference", ".py");
        try (InputStream in = TorchReference.class.getResourceAsStream("profile_reference.py")) {
            Files.write(wrapper, in.readAllBytes());
        }
        try {
            run(List.of(python, wrapper.toString(), script.toString(), arch, String.valueOf(batch),
                    String.valueOf(steps), String.valueOf(warmup), String.valueOf(threads), trace.toString()), arch);
        } finally {
            Files.deleteIfExists(wrapper);
        }
    }

    /** Runs a reference-side Python command with this bench's allocator choice; returns its last output line. */
    private String run(List<String> command, String arch) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        if (!sameAllocator) {
            pb.environment().remove("LD_PRELOAD");   // stock PyTorch eager, as a user runs the script
            pb.environment().remove("MALLOC_CONF");
        }
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            String last = text.strip().lines().reduce((a, b) -> b).orElse("");
            if (code != 0) {
                throw new InputException("the PyTorch reference failed (" + python + " "
                        + Path.of(command.get(1)).getFileName() + " " + arch + ", exit " + code + "): " + last
                        + "; install it with 'apt-get install -y python3-torch' or pass --no-reference");
            }
            return last;
        } catch (IOException e) {
            throw new InputException("cannot run " + python + ": " + e.getMessage()
                    + "; install python3-torch (apt) or pass --no-reference");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedWorkException("bench train interrupted while the PyTorch reference ran");
        }
    }
}
