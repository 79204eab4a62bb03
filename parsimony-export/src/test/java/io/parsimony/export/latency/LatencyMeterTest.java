package io.parsimony.export.latency;

import io.parsimony.export.TrainedRuns;
import io.parsimony.files.UserCache;
import io.parsimony.layout.Layout;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latency measured on the exported network with ONNX Runtime, and its cache. */
class LatencyMeterTest {

    /** One spec per exportable family (the round-trip tests' small nets, untrained here). */
    static final List<ModelSpec> FAMILIES = List.of(TrainedRuns.PLAIN, TrainedRuns.RESNET, TrainedRuns.DACNN_MIX_REG,
            TrainedRuns.RESCALED);

    @Test
    void everyFamilyIsMeasuredAndASecondMeterReadsTheCache(@TempDir Path cache) {
        LatencyMeter meter = new LatencyMeter(cache);
        Map<ModelSpec, Latency> measured = new LinkedHashMap<>();
        for (ModelSpec spec : FAMILIES) {
            Latency l = meter.measure(spec, 1, 28, 28);
            System.out.printf("%-40s median %.4f ms, p90 %.4f ms, %d runs on %s%n", spec.describe(), l.medianMillis(),
                    l.p90Millis(), l.runs(), l.host());
            assertTrue(l.medianMillis() > 0, spec.describe() + ": " + l);
            assertTrue(l.p90Millis() >= l.medianMillis(), spec.describe() + ": " + l);
            assertTrue(l.runs() >= LatencyMeter.TIMED_RUNS, spec.describe() + ": " + l);
            assertEquals(LatencyMeter.host(), l.host());
            measured.put(spec, l);
        }
        assertEquals(FAMILIES.size(), meter.measurements());
        assertEquals(FAMILIES.size(), filesIn(cache).size(), "one small file per key");

        LatencyMeter again = new LatencyMeter(cache);
        for (ModelSpec spec : FAMILIES) {
            assertEquals(measured.get(spec), again.measure(spec, 1, 28, 28), spec.describe());
        }
        assertEquals(measured.get(TrainedRuns.PLAIN).medianMillis(), again.medianMillis(TrainedRuns.PLAIN, 1, 28, 28));
        assertEquals(0, again.measurements(), "every latency came from the cache");
    }

    /**
     * Without a cache every network is measured, each with its own figure. How much longer a wider
     * net takes is a speed figure, not asserted here (timed asserts fail on busy machines).
     */
    @Test
    void withoutACacheEveryNetworkIsMeasured() {
        ModelSpec tiny = TrainedRuns.PLAIN;
        ModelSpec wide = PlainCnnSpec.of(Layout.of(64, 96, 128, 160), 1, 10, 28);
        LatencyMeter meter = new LatencyMeter(null);
        Latency small = meter.measure(tiny, 1, 28, 28);
        Latency big = meter.measure(wide, 1, 28, 28);
        for (Latency l : new Latency[] {small, big}) {
            assertTrue(l.medianMillis() > 0 && l.p90Millis() >= l.medianMillis() && l.runs() >= 20, l.toString());
        }
        assertEquals(2, meter.measurements(), "no cache: both measured");
    }

    @Test
    void aCorruptCacheFileIsMeasuredAgainAndReplaced(@TempDir Path cache) throws Exception {
        ModelSpec spec = TrainedRuns.RESNET;
        new LatencyMeter(cache).measure(spec, 1, 28, 28);
        Path file = filesIn(cache).get(0);
        Files.writeString(file, "{\"version\": 1, \"latency\": {\"medianMillis\": ");
        LatencyMeter meter = new LatencyMeter(cache);
        Latency l = meter.measure(spec, 1, 28, 28);
        assertEquals(1, meter.measurements(), "the corrupt entry is not used");
        assertTrue(l.medianMillis() > 0 && l.runs() >= LatencyMeter.TIMED_RUNS, l.toString());
        LatencyMeter reader = new LatencyMeter(cache);
        assertEquals(l, reader.measure(spec, 1, 28, 28), "the file was rewritten whole");
        assertEquals(0, reader.measurements());
        assertEquals(List.of(file), filesIn(cache), "no temporary file left behind");
    }

    @Test
    void theSharedMeterCachesInTheUserCache(@TempDir Path base) {
        System.setProperty(UserCache.PROPERTY, base.toString());
        try {
            assertEquals(base.resolve("parsimony").resolve("latency"), LatencyMeter.cached().cacheDir());
        } finally {
            System.clearProperty(UserCache.PROPERTY);
        }
    }

    private static List<Path> filesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
