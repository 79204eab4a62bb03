package io.parsimony.nn.train;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
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
        JsonNode root = TrainingJson.MAPPER.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<long[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur") || "python_function".equals(e.path("cat").asText())) {
                continue;
            }
            // ts and dur in µs, possibly fractional: kept in ns
            long start = Math.round(e.path("ts").asDouble() * 1000), dur = Math.round(e.path("dur").asDouble() * 1000);
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
                    self[(int) open.peek()[1]] -= ev[1];
                }
                open.push(new long[] {ev[0] + ev[1], i});
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
