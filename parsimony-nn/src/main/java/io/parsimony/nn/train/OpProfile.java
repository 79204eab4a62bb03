package io.parsimony.nn.train;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes, op by op: libtorch's own profiler (which DJL exposes) records
 * every ATen op the engine runs, and {@link #read} turns its Chrome trace into self time per op
 * name. Self time, not total, because ops nest (conv2d → convolution → mkldnn_convolution) and
 * only the innermost time is spent there. The same reader takes a {@code torch.profiler} trace of
 * the PyTorch reference, so both sides of a benchmark are summed alike.
 */
public final class OpProfile {

    private OpProfile() {
    }

    /** Self time of one op name over the recorded steps. */
    public record OpTime(String name, long calls, double selfMs) {
    }

    /** Starts recording (CPU ops with input shapes); one recording per process at a time. */
    public static void start() {
        JniUtils.startProfile(false, true, false);
    }

    /** Stops recording and writes the Chrome trace to {@code trace}. */
    public static void stop(Path trace) throws IOException {
        Files.createDirectories(trace.toAbsolutePath().getParent());
        JniUtils.stopProfile(trace.toString());
    }

    /**
     * Self time per op name in a Chrome trace ({@code ph = "X"} events; nesting recovered per
     * thread from start and duration), largest first.
     */
    public static List<OpTime> read(Path trace) throws IOException {
        // exact decimals: kineto writes absolute µs timestamps (~1e15) that a double would round to 0.25 µs
        JsonNode root;
        try (var in = Files.newInputStream(trace)) {
            root = TrainingJson.MAPPER.reader(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
        }
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<JsonNode> ops = new ArrayList<>();
        BigDecimal origin = null;
        for (JsonNode e : events) {
            String category = e.path("cat").asText("");
            // ops only: libtorch's legacy export writes no category, kineto "cpu_op"; its whole-window
            // "Trace" span, Python functions and user annotations (optimizer.step) are not ops
            if ("X".equals(e.path("ph").asText()) && e.has("dur")
                    && (category.isEmpty() || category.equals("cpu_op") || category.equals("Operator"))) {
                ops.add(e);
                BigDecimal ts = e.path("ts").decimalValue();
                origin = origin == null || ts.compareTo(origin) < 0 ? ts : origin;
            }
        }
        Map<String, List<long[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : ops) {
            // ts and dur in µs, possibly fractional: kept in ns from the first event
            long start = e.path("ts").decimalValue().subtract(origin).movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
            long dur = e.path("dur").decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
            names.add(e.path("name").asText());
            byThread.computeIfAbsent(e.path("pid").asText() + "/" + e.path("tid").asText(), k -> new ArrayList<>())
                    .add(new long[] {start, dur, names.size() - 1});
        }
        Map<String, long[]> totals = new HashMap<>();   // name → {calls, self ns}
        for (List<long[]> list : byThread.values()) {
            list.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> -a[1]));
            Deque<long[]> open = new ArrayDeque<>();   // {end, index into self}
            long[] self = new long[list.size()];
            for (int i = 0; i < list.size(); i++) {
                long[] ev = list.get(i);
                while (!open.isEmpty() && open.peek()[0] <= ev[0]) {
                    open.pop();
                }
                self[i] = ev[1];
                if (!open.isEmpty()) {
                    // a child that overhangs its parent (rounded timestamps) is charged only for the overlap
                    self[(int) open.peek()[1]] -= Math.min(ev[0] + ev[1], open.peek()[0]) - ev[0];
                }
                // nested within its parent's end, so a later op that starts in an overhang is not taken for its child
                open.push(new long[] {open.isEmpty() ? ev[0] + ev[1] : Math.min(ev[0] + ev[1], open.peek()[0]), i});
            }
            for (int i = 0; i < list.size(); i++) {
                long[] t = totals.computeIfAbsent(names.get((int) list.get(i)[2]), k -> new long[2]);
                t[0]++;
                t[1] += Math.max(0, self[i]);
            }
        }
        return totals.entrySet().stream()
                .map(en -> new OpTime(en.getKey(), en.getValue()[0], en.getValue()[1] / 1e6))
                .sorted(Comparator.comparingDouble(OpTime::selfMs).reversed())
                .toList();
    }
}
