package io.parsimony.cli.experiment;

import io.parsimony.cli.output.UserException;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.sweep.QueueWorker;
import io.parsimony.experiment.store.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parsimony worker}: one training worker of a store's work queue. Start as many as the
 * cluster has slots (a Slurm job array, a Kubernetes Job's pods, N local processes): each claims
 * a run, trains it with a lease renewed by a heartbeat, checkpoints every epoch where any machine
 * can resume it, records it exactly once, and takes the next, until the queue stays empty.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Train queued runs of a results store (sweeps, designs) until the queue stays empty: "
                + "claim, train with a leased heartbeat, checkpoint each epoch, record once.",
                "A killed worker's run is claimed again after its lease and resumes from its last checkpoint."})
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "FILE|URL", converter = StoreConverter.class,
            description = "Results store: " + StoreConverter.HELP + ".")
    StoreLocation store;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Only runs whose recipe trains on this device (default: any).")
    String device;

    @Option(names = "--max-runs", defaultValue = "0", paramLabel = "N", description = "Stop after N runs (default: 0 = no limit).")
    int maxRuns;

    @Option(names = "--idle-exit", defaultValue = "60s", paramLabel = "DURATION",
            description = "Stop when no run could be claimed for this long, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    String idleExit;

    @Option(names = "--lease", defaultValue = "60s", paramLabel = "DURATION",
            description = "Lease of a claimed run, renewed every third of it; a killed worker's run is taken again after it "
                    + "(default: ${DEFAULT-VALUE}).")
    String lease;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "Shared directory for checkpoints too large for the store (over 64 MiB).")
    Path checkpoints;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "This machine's run directories (default: parsimony-worker-runs/ in the working directory).")
    Path workDir;

    @Option(names = "--name", paramLabel = "NAME", description = "This worker's name in the store (default: host-pid).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (device != null && !device.equals("cpu") && !device.equals("gpu")) {
            throw new UserException("--device must be cpu or gpu, got '" + device + "'");
        }
        if (maxRuns < 0) {
            throw new UserException("--max-runs must be ≥ 0, got " + maxRuns);
        }
        Duration idle = duration("--idle-exit", idleExit);
        Duration leaseLength = duration("--lease", lease);
        if (leaseLength.toMillis() < 1500) {
            throw new UserException("--lease must be at least 2s (the heartbeat renews it every third), got " + lease);
        }
        String me = name != null ? name : QueueWorker.defaultName();
        QueueWorker w = new QueueWorker(me, device, maxRuns, idle, leaseLength,
                workDir != null ? workDir : Path.of("parsimony-worker-runs"), checkpoints, QueueWorker.DEFAULT_CHECKPOINT_LIMIT);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("worker %s on %s%n", me, store);
        out.flush();
        QueueWorker.Summary s;
        try (ResultStore rs = ResultStore.open(store)) {
            s = w.run(rs, line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            });
        }
        out.printf("worker %s: %d done, %d failed, %d resumed from a checkpoint, %d dropped (lease lost)%n", me, s.done(),
                s.failed(), s.resumed(), s.lost());
        out.flush();
        return 0;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /** "500ms", "30s", "5m", "2h" → a duration; anything else is refused in one line. */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserException(option + " '" + text + "' is not a duration; give e.g. 30s, 5m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
