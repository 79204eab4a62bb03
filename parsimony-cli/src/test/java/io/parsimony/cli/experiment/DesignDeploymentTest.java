package io.parsimony.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import io.parsimony.experiment.design.Candidate;
import io.parsimony.experiment.design.DesignSpace;
import io.parsimony.experiment.design.Family;
import io.parsimony.experiment.report.HeadlessChromium;
import io.parsimony.export.latency.LatencyMeter;
import io.parsimony.search.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny real design for deployment through the command line: a latency limit measured with
 * ONNX Runtime leaves out exactly the candidates above it, the final stage trains whole epochs,
 * the Pareto fronts in {@code design.json} are the non-dominated sets (recomputed here by brute
 * force), the HTML shows them as Chromium renders it, and the printed ship commands work on the
 * run directory of the network to ship.
 */
class DesignDeploymentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLatencyLimitedDesignDropsTheSlowCandidatesTrainsAFinalStageAndShowsItsParetoFront(@TempDir Path tmp) throws Exception {
        // the same field as the command builds (200 units, plain, up to 3 convs, 2 per depth), measured independently
        DesignSpace space = new DesignSpace(200, 0, Order.STRICT, EnumSet.of(Family.PLAIN), 3, 2, 1, 10, 28);
        List<Candidate> field = space.candidates();
        LatencyMeter meter = LatencyMeter.cached();
        Map<String, Double> ms = new HashMap<>();
        for (Candidate c : field) {
            ms.put(c.model(), meter.medianMillis(c.spec(), 1, 28, 28));
        }
        // the limit in the widest gap between measured latencies, so that it splits the field where it is clearest
        double[] sorted = ms.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int gap = 0;
        for (int i = 1; i < sorted.length - 1; i++) {
            if (sorted[i + 1] - sorted[i] > sorted[gap + 1] - sorted[gap]) {
                gap = i;
            }
        }
        double limit = (sorted[gap] + sorted[gap + 1]) / 2;
        Set<String> expectedKept = new TreeSet<>(), expectedDropped = new TreeSet<>();
        field.forEach(c -> (ms.get(c.model()) <= limit ? expectedKept : expectedDropped).add(c.model()));
        assertFalse(expectedDropped.isEmpty(), ms.toString());

        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("design", "--budget", "200", "--families", "plain", "--max-depth", "3", "--top", "2", "--eta", "2",
                "--seeds", "2", "--rung-steps", "10", "--final-epochs", "1", "--batch", "32", "--limit-train", "600",
                "--limit-test", "300", "--max-latency", String.format(Locale.ROOT, "%.6fms", limit),
                "--store", tmp.resolve("d.sqlite").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("--max-latency ")
                        && l.contains(" drops " + expectedDropped.size() + " of " + field.size() + " candidates")).count(),
                "one line says how many the limit drops, once: " + r.out());

        assertEquals(2, r.out().lines().filter(l -> l.contains("final-winner") && l.endsWith(": training")).count(),
                "a line as each final run of the winner starts: " + r.out());
        JsonNode doc = JSON.readTree(out.resolve("design.json").toFile());
        JsonNode o = doc.get("outcome");
        Set<String> kept = new TreeSet<>();
        o.get("candidates").forEach(c -> kept.add(c.get("model").asText()));
        assertEquals(expectedKept, kept, "exactly the candidates within the limit race");
        for (String m : ms.keySet()) {
            assertEquals(ms.get(m), o.get("latencyMillis").get(m).asDouble(), 0.0, "the design stores the latency it measured: " + m);
        }
        JsonNode stage = o.get("finalStage");
        assertEquals(1, stage.get("epochs").asInt());
        assertEquals("cosine:1", stage.get("schedule").asText());
        assertEquals(3, o.get("groups").size(), "winner, default, random");
        o.get("groups").forEach(g -> assertEquals(2, g.get("top1").size(), g.toString()));

        checkFront(o.get("validationFront"), kept.size());
        checkFront(o.get("testFront"), 3);
        assertEquals(List.of("parameters", "multiply_adds", "latency"), names(o.get("validationFront").get("frontByAxis")));

        // the HTML: both sections, a chart per axis, the front rows as design.json says
        String dom = HeadlessChromium.require().dumpDom(out.resolve("design.html"));
        Matcher sec = Pattern.compile("(?s)<section id=\"pareto\">(.*?)</section>").matcher(dom);
        assertTrue(sec.find(), "the candidates' Pareto section");
        assertEquals(3, count(sec.group(1), "<figure class=\"pareto-chart\""), "a chart per cost axis");
        assertEquals(3, count(sec.group(1), "<svg"), "each chart drawn");
        checkRows(sec.group(1), o.get("validationFront"), kept.size());
        Matcher test = Pattern.compile("(?s)<section id=\"pareto-test\">(.*?)</section>").matcher(dom);
        assertTrue(test.find(), "the finalists' front");
        checkRows(test.group(1), o.get("testFront"), 3);

        // the deliverable: the finalist of best final validation (the winner on ties); the printed commands work on its run
        JsonNode d = o.get("deliverable");
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode v : d.get("validation")) {
            best = Math.max(best, v.asDouble());
        }
        assertEquals(best, d.get("validation").get(d.get("role").asText()).asDouble(), 0.0, d.toString());
        double winners = d.get("validation").elements().next().asDouble();   // the winner's role comes first
        assertEquals(d.get("winner").asBoolean(), winners == best, d.toString());
        String shipDir = d.get("runDir").asText();
        assertTrue(r.out().contains("ship it:") && r.out().contains("parsimony evaluate --run " + shipDir), r.out());
        assertEquals(!d.get("winner").asBoolean(), r.out().contains("it is the network to ship"), r.out());
        CliRun eval = CliRun.of("evaluate", "--run", shipDir, "--data", "fashion-mnist");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("top-1"), eval.out());
    }

    /** The section's table: a row per point, marked "front" exactly where the report's front says. */
    private static void checkRows(String section, JsonNode report, int points) {
        List<String> rows = Arrays.stream(section.split("<tr")).filter(x -> x.contains("<td")).toList();
        assertEquals(points, rows.size());
        Set<Integer> front = new TreeSet<>();
        report.get("front").forEach(i -> front.add(i.asInt()));
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(front.contains(i), rows.get(i).matches("(?s)^[^>]*class=\"[^\"]*front.*"), rows.get(i));
        }
    }

    /** The report's front is exactly the brute-force non-dominated set of its points over every axis it offers. */
    private static void checkFront(JsonNode report, int points) {
        JsonNode ps = report.get("points");
        assertEquals(points, ps.size());
        List<String> axes = names(report.get("frontByAxis"));
        List<double[]> v = new ArrayList<>();   // {accuracy, costs...}, null accuracy as NaN
        for (JsonNode p : ps) {
            double[] x = new double[1 + axes.size()];
            x[0] = p.get("accuracy").isNull() ? Double.NaN : p.get("accuracy").asDouble();
            for (int k = 0; k < axes.size(); k++) {
                String field = switch (axes.get(k)) {
                    case "parameters" -> "parameters";
                    case "multiply_adds" -> "multiplyAdds";
                    default -> "latencyMillis";
                };
                x[1 + k] = p.get(field).asDouble();
            }
            v.add(x);
        }
        Set<Integer> expected = new TreeSet<>();
        for (int i = 0; i < v.size(); i++) {
            if (Double.isNaN(v.get(i)[0])) {
                continue;
            }
            boolean dominated = false;
            for (int j = 0; j < v.size() && !dominated; j++) {
                double[] a = v.get(j), b = v.get(i);
                if (j == i || Double.isNaN(a[0])) {
                    continue;
                }
                boolean noWorse = a[0] >= b[0], better = a[0] > b[0];
                for (int k = 1; k < a.length; k++) {
                    noWorse &= a[k] <= b[k];
                    better |= a[k] < b[k];
                }
                dominated = noWorse && better;
            }
            if (!dominated) {
                expected.add(i);
            }
        }
        Set<Integer> front = new TreeSet<>();
        report.get("front").forEach(i -> front.add(i.asInt()));
        assertEquals(expected, front, report.toString());
        assertFalse(front.isEmpty());
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
