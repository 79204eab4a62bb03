package io.parsimony.nn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The process's guard against an engine that computes wrong numbers on this CPU. Before the
 * first conv runs (and before any training, evaluation, export check or benchmark builds a
 * network) it runs {@link EngineCheck}'s grid once, or reads the verdict cached for this CPU and
 * these library versions ({@link NumericsCache}); each conv shape a model uses is probed too the
 * first time it runs, in the network's layout. When a check fails it picks the cheapest
 * configuration that passes ({@link Remedy#PAD_CONV_OUTPUTS} for the process, a {@link ConvRoute}
 * per shape), says so in one line on stderr, and refuses with a {@link NumericsException} when
 * nothing passes or {@link NumericsMode#STRICT} forbids switching. Seen on a VM reporting AMD
 * family 26: libtorch 2.7.1's oneDNN returns wrong or NaN conv input-gradients when out-channels
 * are not a multiple of 16, and wrong row-major outputs for 17–47 in-channels (docs/numerics.md).
 */
public final class Numerics {

    /** Bumped whenever the grid or the tolerance changes, so cached verdicts of an older check are not trusted. */
    static final int CHECK_VERSION = 2;

    /** How the process stands with its engine. */
    public enum Verdict { PASSED, REMEDIED, NOT_CHECKED }

    /**
     * The process's numerics state, recorded with every run as provenance.
     *
     * @param checks   how many comparisons the grid made (0 when not checked)
     * @param failures how many of them failed with the engine as it is
     * @param worst    the worst failing comparison ("" when none failed)
     * @param seconds  what the check took (0 when read from the cache)
     * @param cached   whether the verdict was read from this host's cache
     */
    public record Status(NumericsMode mode, Verdict verdict, Remedy remedy, Host host, int checks, int failures,
                         String worst, double seconds, boolean cached) {

        /** e.g. "passed (228 checks)" or "remedied: pad-conv-outputs (24 of 228 checks failed as is)". */
        public String summary() {
            return switch (verdict) {
                case PASSED -> "passed (" + checks + " checks" + (cached ? ", cached" : "") + ")";
                case REMEDIED -> "remedied: " + remedy.label() + " (" + failures + " of " + checks + " checks failed as is"
                        + (cached ? ", cached" : "") + ")";
                case NOT_CHECKED -> "not checked (--numerics " + mode.label() + ")" + (remedy == Remedy.NONE ? "" : ", " + remedy.label());
            };
        }
    }

    /** A fresh check's whole table, for {@code parsimony doctor}. */
    public record Report(Status status, List<Finding> asIs, List<Finding> remedied) {
    }

    private static volatile Status status;
    /** A conv shape in the memory format the network runs it in: what one probe vouches for. */
    record ConvUse(ConvShape shape, MemoryFormat format) {
    }

    /** The route each conv use probed in this process (or vouched for by the cache) takes. */
    private static final Map<ConvUse, ConvRoute> VERIFIED = new ConcurrentHashMap<>();
    private static NumericsCache cache;

    private Numerics() {
    }

    /** Runs the check (or reads its cached verdict) once per process; later calls return the same status. */
    public static Status ensureChecked() {
        Status s = status;
        return s != null ? s : check(false).status();
    }

    /** The status if the check has run in this process. */
    public static java.util.Optional<Status> current() {
        return java.util.Optional.ofNullable(status);
    }

    /**
     * A fresh check whatever is cached and whatever the mode (doctor): the grid as is, and with the
     * remedy when as-is fails. Updates the cache and the process's status.
     */
    public static synchronized Report fullCheck() {
        return check(true);
    }

    /**
     * How a conv of this shape, in a network laid out in {@code format}, must run. The first call for
     * a shape probes it (the check runs first if it has not); after that it is one map lookup.
     */
    static ConvRoute route(ConvShape shape, MemoryFormat format, Device device) {
        ConvRoute known = status == null ? null : VERIFIED.get(new ConvUse(shape, format));
        return known != null ? known : verify(new ConvUse(shape, format), device);
    }

    private static synchronized Report check(boolean fresh) {
        if (status != null && !fresh) {
            return new Report(status, List.of(), List.of());
        }
        NumericsMode mode = fresh ? NumericsMode.CHECK : NumericsMode.configured();
        Host host = Host.current();
        if (mode == NumericsMode.OFF || mode == NumericsMode.PAD) {
            Remedy r = mode == NumericsMode.PAD ? Remedy.PAD_CONV_OUTPUTS : Remedy.NONE;
            status = new Status(mode, Verdict.NOT_CHECKED, r, host, 0, 0, "", 0, false);
            return new Report(status, List.of(), List.of());
        }
        InjectedFault fault = InjectedFault.configured();
        cache = fault == InjectedFault.NONE ? NumericsCache.of(host.key(CHECK_VERSION)) : NumericsCache.none();
        if (!fresh) {
            var saved = cache.read();
            if (saved.isPresent() && saved.get().remedy() != null) {
                NumericsCache.Entry e = saved.get();
                Status read = new Status(mode, e.verdict(), e.remedy(), host, e.checks(), e.failures(), e.worst(), 0, true);
                refuseIfStrict(read);
                e.convs().forEach(v -> VERIFIED.put(new ConvUse(v.shape(), v.format()), v.route()));
                status = read;
                notice(status);
                return new Report(status, List.of(), List.of());
            }
        }
        long t0 = System.nanoTime();
        List<Finding> asIs;
        List<Finding> padded = List.of();
        try (NDManager m = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            EngineCheck engineCheck = new EngineCheck(m, fault);
            asIs = engineCheck.grid(false);
            List<Finding> failed = failures(asIs);
            if (!failed.isEmpty() && mode == NumericsMode.CHECK && failed.stream().allMatch(f -> f.op().startsWith("conv2d"))) {
                padded = engineCheck.grid(true);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Finding> failed = failures(asIs);
        Verdict verdict = failed.isEmpty() ? Verdict.PASSED : Verdict.REMEDIED;
        Remedy remedy = Remedy.NONE;
        if (!failed.isEmpty()) {
            refuseIfStrict(new Status(mode, verdict, Remedy.PAD_CONV_OUTPUTS, host, asIs.size(), failed.size(),
                    worst(failed), seconds, false));
            if (padded.isEmpty() || !failures(padded).isEmpty()) {
                throw new NumericsException("numerics: " + what(failed) + " wrong on this CPU (" + host.describe()
                        + ") even with padded convs (" + worst(failed) + "); nothing Parsimony can switch in-process passes. "
                        + "Run with ONEDNN_MAX_CPU_ISA=SSE41 (oneDNN's slower generic kernels; measured 3-4x slower convs) "
                        + "or, at your own risk, --numerics off; 'parsimony doctor' shows the table");
            }
            remedy = Remedy.PAD_CONV_OUTPUTS;
        }
        VERIFIED.clear();
        status = new Status(mode, verdict, remedy, host, asIs.size(), failed.size(), worst(failed), seconds, false);
        cache.write(new NumericsCache.Entry(verdict, remedy, asIs.size(), failed.size(), worst(failed), List.of()));
        notice(status);
        return new Report(status, asIs, padded);
    }

    /**
     * Probes one conv use by its routes, cheapest first ({@link ConvRoute#candidates}), and keeps the
     * first that is right; padding found necessary becomes the process's remedy, as the grid's
     * would. Refuses when no route is right, or on any failure under {@link NumericsMode#STRICT}.
     */
    private static synchronized ConvRoute verify(ConvUse use, Device device) {
        Status s = ensureChecked();
        ConvRoute known = VERIFIED.get(use);
        if (known != null) {
            return known;
        }
        boolean padByDefault = s.remedy() == Remedy.PAD_CONV_OUTPUTS;
        if (s.verdict() == Verdict.NOT_CHECKED) {
            ConvRoute unchecked = new ConvRoute(padByDefault, false);
            VERIFIED.put(use, unchecked);
            return unchecked;
        }
        ConvShape shape = use.shape();
        int image = (int) Math.max(8, shape.kernel() + 2);
        ConvRoute chosen = null;
        List<Finding> firstFailures = List.of();
        try (NDManager m = NDManager.newBaseManager(device)) {
            EngineCheck probe = new EngineCheck(m, InjectedFault.configured());
            for (ConvRoute r : ConvRoute.candidates(shape, padByDefault)) {
                List<Finding> failed = failures(probe.conv(shape, 2, image, image, use.format(), r));
                if (failed.isEmpty()) {
                    chosen = r;
                    break;
                }
                if (firstFailures.isEmpty()) {
                    firstFailures = failed;
                    refuseIfStrict(new Status(s.mode(), Verdict.REMEDIED, s.remedy(), s.host(), s.checks(), failed.size(),
                            worst(failed), s.seconds(), s.cached()));
                }
            }
        }
        if (chosen == null) {
            throw new NumericsException("numerics: " + what(firstFailures) + " wrong on this CPU (" + s.host().describe()
                    + ") for a conv of this model (" + worst(firstFailures) + ") by every route (padded out-channels, "
                    + use.format().other().label() + " layout); run with ONEDNN_MAX_CPU_ISA=SSE41 or, at your own risk, "
                    + "--numerics off; 'parsimony doctor' shows the table");
        }
        if (chosen.padOutputs() && !padByDefault) {
            status = s = new Status(s.mode(), Verdict.REMEDIED, Remedy.PAD_CONV_OUTPUTS, s.host(), s.checks(),
                    s.failures() + firstFailures.size(), worst(firstFailures), s.seconds(), false);
            notice(s);
        }
        if (chosen.otherFormat()) {
            noticeRoute(use, chosen, firstFailures, s.host());
        }
        VERIFIED.put(use, chosen);
        List<NumericsCache.Verified> convs = VERIFIED.entrySet().stream()
                .map(e -> new NumericsCache.Verified(e.getKey().shape(), e.getKey().format(), e.getValue())).toList();
        cache.write(new NumericsCache.Entry(s.verdict(), s.remedy(), s.checks(), s.failures(), s.worst(), convs));
        return chosen;
    }

    /** One line per conv use that leaves the network's layout: which kernel was wrong and what runs instead. */
    private static void noticeRoute(ConvUse use, ConvRoute route, List<Finding> failed, Host host) {
        System.err.println("parsimony: numerics: conv " + use.shape() + " in " + use.format().label() + " layout is wrong on "
                + "this CPU (" + host.describe() + "; " + worst(failed) + "); it runs " + route.describe(use.format())
                + ", which passes the check (docs/numerics.md)");
    }

    private static void refuseIfStrict(Status s) {
        if (s.mode() == NumericsMode.STRICT && s.verdict() != Verdict.PASSED) {
            throw new NumericsException("numerics: the engine is wrong on this CPU (" + s.host().describe() + "): "
                    + s.failures() + " checks failed, worst " + s.worst() + "; --numerics strict forbids the fallback "
                    + "(use --numerics check to let convs pad their out-channels to a multiple of 16; docs/numerics.md)");
        }
    }

    private static void notice(Status s) {
        if (s.verdict() == Verdict.REMEDIED) {
            System.err.println("parsimony: numerics: conv gradients are wrong on this CPU (" + s.host().describe() + ") for "
                    + "out-channels not a multiple of 16 (" + s.failures() + " of " + s.checks() + " checks, worst " + s.worst()
                    + (s.cached() ? ", cached verdict" : "") + "); every such conv now pads its out-channels to a multiple "
                    + "of 16, which passes the check (cost: docs/numerics.md)");
        }
    }

    private static List<Finding> failures(List<Finding> findings) {
        return findings.stream().filter(f -> !f.passed()).toList();
    }

    private static String what(List<Finding> failed) {
        return failed.stream().map(Finding::op).distinct().collect(Collectors.joining(", "));
    }

    private static String worst(List<Finding> failed) {
        return failed.stream().max(Comparator.comparingDouble(f -> Double.isNaN(f.maxError()) ? Double.MAX_VALUE : f.maxError()))
                .map(f -> f.op() + " " + f.shape() + ", error " + (Double.isNaN(f.maxError()) ? "NaN"
                        : String.format(java.util.Locale.ROOT, "%.3g", f.maxError())))
                .orElse("");
    }

    /** Forgets the process's verdict (tests that change the mode or inject a fault). */
    static synchronized void reset() {
        status = null;
        VERIFIED.clear();
        cache = null;
    }

    /** The conv shapes verified so far (tests). */
    static List<ConvShape> verifiedShapes() {
        return VERIFIED.keySet().stream().map(ConvUse::shape).toList();
    }
}
