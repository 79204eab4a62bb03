package io.parsimony.cli.options;

import io.parsimony.nn.train.ProgressBarListener;
import io.parsimony.nn.train.TrainingListener;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Where training commands write their runs ({@code --run}) and whether they show progress ({@code -q}). */
public final class RunOptions {

    @Option(names = "--run", paramLabel = "DIR", description = "Run directory (default: runs/<time>-<what>).")
    Path run;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Option(names = "--progress", paramLabel = "auto|bars|lines", defaultValue = "auto",
            converter = ProgressModeConverter.class,
            description = "Progress bars (redrawn in place) or one line per epoch; auto = bars only on a terminal (default).")
    ProgressBarListener.Mode progress;

    /** Case-insensitive auto|bars|lines. */
    static final class ProgressModeConverter implements picocli.CommandLine.ITypeConverter<ProgressBarListener.Mode> {
        @Override
        public ProgressBarListener.Mode convert(String value) {
            return ProgressBarListener.Mode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** --run, or a fresh time-stamped directory under runs/ named after {@code what}. */
    public Path directory(String what) {
        if (run != null) {
            return run;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("runs", stamp + "-" + what.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", ""));
    }

    public boolean given() {
        return run != null;
    }

    /** --run as given, or null. */
    public Path run() {
        return run;
    }

    /** Progress on stderr (bars on a terminal, lines otherwise), or nothing when quiet or when stdout carries JSON. */
    public TrainingListener listener(String label, boolean json) {
        return quiet || json ? TrainingListener.SILENT : new ProgressBarListener(label, System.err, progress);
    }
}
