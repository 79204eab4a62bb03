package io.parsimony.cli.doctor;

import io.parsimony.cli.output.Output;
import io.parsimony.experiment.report.HeadlessChromium;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.engine.Finding;
import io.parsimony.nn.engine.Host;
import io.parsimony.nn.engine.Provenance;
import io.parsimony.nn.engine.Numerics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What to run first on a new machine, or when numbers look wrong: the versions, the processor,
 * a fresh numerics self-check of the engine (op by op against a double-precision reference),
 * the data sets found and whether their files are the official ones, and the servers and tools
 * the optional features use. Exit 1 when the engine fails a check as it is (whatever the remedy).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this machine: versions, CPU, the engine's numerics (fresh self-check), data sets, tools.",
                "Exits 1 when the engine computes a checked op wrongly as it is (Parsimony then pads convs; see the remedy)."},
        footer = {"%nExample:", "  parsimony doctor", "  parsimony doctor --json > doctor.json"})
public final class DoctorCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** One line of the check table: an op's comparisons, how many failed, and the worst. */
    public record OpRow(String op, int checks, int failed, double worstError, String worstShape) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Numerics.Report report = Numerics.fullCheck();
        Numerics.Status status = report.status();
        Host host = status.host();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        facts.put("djl", host.djl());
        facts.put("libtorch", host.libtorch());
        facts.put("onednn", host.onednn() + " (bundled with libtorch " + host.libtorch() + ")");
        facts.put("cpu", host.cpu());
        facts.put("cpu id", host.family());
        facts.put("isa", String.join(" ", host.isa()));
        facts.put("threads", host.threads());
        facts.put("ONEDNN_MAX_CPU_ISA", host.isaLimit().isEmpty() ? "(not set)" : host.isaLimit());
        Provenance where = Provenance.current();
        facts.put("device", where.device());
        facts.put("memory format", where.memoryFormat());
        facts.put("gpus", host.gpus());
        facts.put("numerics", status.summary() + String.format(Locale.ROOT, " in %.2f s", status.seconds()));
        facts.put("remedy", status.remedy().label());
        List<OpRow> asIs = byOp(report.asIs());
        List<OpRow> remedied = byOp(report.remedied());
        List<DataSets.Found> data = DataSets.survey();
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("postgresql", postgres());
        tools.put("chromium", HeadlessChromium.find().map(c -> c.binary().toString()).orElse("not found (HTML screenshots off)"));
        boolean healthy = report.asIs().stream().allMatch(Finding::passed);
        if (output.json()) {
            Map<String, Object> all = new LinkedHashMap<>(facts);
            all.put("healthy", healthy);
            all.put("checks", report.asIs());
            all.put("checksRemedied", report.remedied());
            all.put("dataSets", data);
            all.put("tools", tools);
            Output.writeJson(out, all);
            return healthy ? 0 : 1;
        }
        facts.forEach((k, v) -> out.printf("%-19s %s%n", k + ":", v));
        out.println();
        out.println("engine self-check, as is (float32 against a float64 reference in Java; max error relative to the "
                + "reference's largest magnitude):");
        table(out, asIs);
        if (!remedied.isEmpty()) {
            out.println("with the remedy (" + status.remedy().label() + "):");
            table(out, remedied);
        }
        out.println();
        for (DataSets.Found f : data) {
            out.printf("%-19s %s%s%n", "data " + f.name() + ":", f.directory() == null ? "" : f.directory() + " — ", f.state());
        }
        tools.forEach((k, v) -> out.printf("%-19s %s%n", k + ":", v));
        out.println();
        out.println(healthy ? "ok: the engine passed every check on this host"
                : "FAILED: the engine is wrong on this host as it is; Parsimony runs with the remedy above ("
                + status.remedy().label() + "), see docs/numerics.md");
        out.flush();
        return healthy ? 0 : 1;
    }

    private static void table(PrintWriter out, List<OpRow> rows) {
        Output.writeTable(out, rows,
                Output.Col.left("op", OpRow::op),
                Output.Col.right("checks", r -> String.valueOf(r.checks())),
                Output.Col.right("failed", r -> String.valueOf(r.failed())),
                Output.Col.right("max rel. error", r -> Double.isNaN(r.worstError()) ? "NaN"
                        : String.format(Locale.ROOT, "%.1e", r.worstError())),
                Output.Col.left("worst shape", OpRow::worstShape),
                Output.Col.left("verdict", r -> r.failed() == 0 ? "pass" : "FAIL"));
    }

    /** The findings grouped by op, in the order the check ran them. */
    static List<OpRow> byOp(List<Finding> findings) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : findings) {
            groups.computeIfAbsent(f.op(), k -> new ArrayList<>()).add(f);
        }
        List<OpRow> rows = new ArrayList<>();
        groups.forEach((op, fs) -> {
            Finding worst = fs.stream().max(Comparator.comparingDouble(f -> Double.isNaN(f.maxError()) ? Double.MAX_VALUE
                    : f.maxError())).orElseThrow();
            rows.add(new OpRow(op, fs.size(), (int) fs.stream().filter(f -> !f.passed()).count(), worst.maxError(), worst.shape()));
        });
        return rows;
    }

    /** The PostgreSQL server binaries the store tests and a local shared store start (Debian's layout). */
    private static String postgres() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return "not found (install postgresql for a shared store)";
        }
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(base)) {
            for (Path v : versions) {
                if (Files.isExecutable(v.resolve("bin").resolve("initdb"))) {
                    found.add(v.resolve("bin").toString());
                }
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        return found.isEmpty() ? "not found (install postgresql for a shared store)" : String.join(", ", found);
    }
}
