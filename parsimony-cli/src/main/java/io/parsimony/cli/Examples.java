package io.parsimony.cli;

import picocli.CommandLine;

import java.util.Map;

/**
 * One real example per command, shown at the end of its {@code --help}. Kept here in one table,
 * so the examples read as a set and a test can parse every one of them; a command may instead
 * carry its own {@code footer} (which wins). ExamplesTest fails for a command without either, and
 * for an example too long for one line of help (78 characters), which picocli would wrap.
 */
public final class Examples {

    static final Map<String, String> BY_COMMAND = Map.ofEntries(
            Map.entry("parsimony", "parsimony layout search --layers 4 --budget 4288 --top 3"),
            Map.entry("parsimony layout", "parsimony layout count 35,36,37,43 --budget 4288"),
            Map.entry("parsimony layout count", "parsimony layout count --repeats 1,10,10,10 16,16,32,64"),
            Map.entry("parsimony layout search", "parsimony layout search --layers 4 --budget 4288 --count"),
            Map.entry("parsimony layout energy", "parsimony layout energy 35,36,37,43 1,11,42,59"),
            Map.entry("parsimony layout balance", "parsimony layout balance --preset resnet34"),
            Map.entry("parsimony layout sample", "parsimony layout sample --layers 4 --budget 4288 --samples 32 --seed 0"),
            Map.entry("parsimony train", "parsimony train --layout 32,34,36,54 --epochs 2 --run runs/demo"),
            Map.entry("parsimony evaluate", "parsimony evaluate --run runs/demo"),
            Map.entry("parsimony summary", "parsimony summary --model dacnn-34-mix-reg --input 3x32x32 --classes 100"),
            Map.entry("parsimony extremes", "parsimony extremes --budget 4288 --layers 4 --epochs 1 --limit-train 6000"),
            Map.entry("parsimony compare", "parsimony compare dacnn-14 plain:8,16,24,32@w2d2 --epochs 2"),
            Map.entry("parsimony ebcle", "parsimony ebcle --budget 4288"),
            Map.entry("parsimony ebcle probe", "parsimony ebcle probe --depths 1,2,4,8 --width 32 --epochs 3"),
            Map.entry("parsimony bench", "parsimony bench data --epochs 3"),
            Map.entry("parsimony bench data", "parsimony bench data --epochs 3"),
            Map.entry("parsimony bench layout", "parsimony bench layout --runs 15"),
            Map.entry("parsimony bench train", "parsimony bench train --arch plain4,resnet32"),
            Map.entry("parsimony sweep", "parsimony sweep energy --budget 4288 --layers 4 --samples 32 --top 6"),
            Map.entry("parsimony sweep energy", "parsimony sweep energy --budget 4288 --layers 4 --samples 32 --top 6"),
            Map.entry("parsimony sweep status", "parsimony sweep status --store runs/results.sqlite"),
            Map.entry("parsimony worker", "parsimony worker --store jdbc:postgresql://db:5432/study --idle-exit 5m"),
            Map.entry("parsimony report", "parsimony report runs/fig3.sqlite --out fig3.html"),
            Map.entry("parsimony design", "parsimony design --budget 4288 --time 30m --dry-run"),
            Map.entry("parsimony help", "parsimony help layout search"));

    private Examples() {
    }

    /** Adds the example footer to every visible command that has none of its own. */
    static void install(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        String example = BY_COMMAND.get(cl.getCommandSpec().qualifiedName());
        if (example != null && usage.footer().length == 0) {
            usage.footer("%nExample:", "  " + example);
        }
        cl.getSubcommands().values().forEach(Examples::install);
    }
}
