package io.parsimony.experiment.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a page with a headless Chromium (Debian package {@code chromium}), to check that a
 * report really shows its plots and tables: the DOM after layout, or a screenshot.
 */
public final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The first Chromium on $PATH ($CHROMIUM overrides), if any. */
    public static Optional<HeadlessChromium> find() {
        String override = System.getenv("CHROMIUM");
        if (override != null && !override.isBlank() && Files.isExecutable(Path.of(override))) {
            return Optional.of(new HeadlessChromium(Path.of(override)));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p));
                }
            }
        }
        return Optional.empty();
    }

    /** As {@link #find()}, or an exception that says what to install. */
    public static HeadlessChromium require() {
        return find().orElseThrow(() -> new IllegalStateException(
                "headless Chromium not found on PATH (looked for " + String.join(", ", NAMES)
                        + "); install it with 'apt-get install -y chromium' (CI does) or point $CHROMIUM at the binary"));
    }

    public Path binary() {
        return binary;
    }

    /** The serialised DOM of {@code html} after Chromium loaded and laid it out. */
    public String dumpDom(Path html) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", html.toUri().toString()), null);
    }

    /** A PNG screenshot of the top {@code width}×{@code height} pixels of {@code html}. */
    public Path screenshot(Path html, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
                html.toUri().toString()), png);
        return png;
    }

    private String run(List<String> args, Path expect) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("parsimony-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(args);
        Path out = Files.createTempFile("chromium", ".out"), err = Files.createTempFile("chromium", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("chromium did not finish within 90 s: " + String.join(" ", cmd));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || (expect != null && !Files.isRegularFile(expect))) {
                throw new IOException("chromium failed (exit " + p.exitValue() + "): " + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 800 ? "..." + t.substring(t.length() - 800) : t;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
