package io.parsimony.cli.reference;

import io.parsimony.cli.Parsimony;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CLI reference under {@code docs/cli/}: one Markdown page per visible command, written from
 * the picocli model of {@link Parsimony#commandLine()} and nothing else, so a new, moved or changed
 * command or option shows up by regenerating. {@code README.md} is the root command's page and the
 * index of all commands. Hidden commands and options are left out, as in {@code --help}.
 *
 * <p>Deterministic: the usage line is laid out at a fixed width without colours, and text that
 * could come from this machine (the home and working directories, the installation root, a
 * default equal to the core count of a thread or worker option) is rendered as a placeholder.
 * {@link CliReferenceTest} fails when the pages on disk differ from what this writes.
 */
public final class CliReference {

    /** Where the pages live, relative to the project root. */
    public static final String DIR = "docs/cli";
    /** The command that rewrites the pages (printed by the staleness test). */
    public static final String REGENERATE = "mvn -B -q test -pl parsimony-cli -am -Dtest=CliReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dcli.reference.write=true";
    static final int USAGE_WIDTH = 100;
    private static final String ROOT_PAGE = "README.md";

    private CliReference() {
    }

    /** Writes the pages into {@code <project root>/docs/cli} (argument: the project root, default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        List<Path> written = write(root.resolve(DIR), pages());
        System.out.println("wrote " + written.size() + " pages to " + root.resolve(DIR));
    }

    /** The pages of the real command line, by file name, root page first then depth-first in declaration order. */
    public static Map<String, String> pages() {
        return pages(Parsimony.commandLine());
    }

    /** The pages of {@code root}'s command tree. */
    public static Map<String, String> pages(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        Map<String, String> pages = new LinkedHashMap<>();
        for (CommandLine cl : all) {
            pages.put(fileName(cl.getCommandSpec()), page(cl, all));
        }
        return pages;
    }

    /**
     * Replaces every {@code *.md} file in {@code dir} by {@code pages} (a page of a removed command
     * is deleted); returns the files written.
     */
    public static List<Path> write(Path dir, Map<String, String> pages) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".md")).toList()) {
                if (!pages.containsKey(p.getFileName().toString())) {
                    Files.delete(p);
                }
            }
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.writeString(f, e.getValue());
            written.add(f);
        }
        return written;
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        if (cl.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        out.add(cl);
        cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, out));
    }

    /** {@code parsimony} → README.md, {@code parsimony layout search} → layout-search.md. */
    static String fileName(CommandSpec spec) {
        if (spec.parent() == null) {
            return ROOT_PAGE;
        }
        String q = spec.qualifiedName(" ");
        return q.substring(q.indexOf(' ') + 1).replace(' ', '-') + ".md";
    }

    private static String page(CommandLine cl, List<CommandLine> all) {
        CommandSpec spec = cl.getCommandSpec();
        StringBuilder md = new StringBuilder();
        md.append("<!-- Generated from the picocli model by io.parsimony.cli.reference.CliReference: do not edit.\n")
                .append("     Regenerate from the project root: ").append(REGENERATE).append(" -->\n\n");
        md.append("# ").append(spec.qualifiedName()).append("\n\n");
        if (spec.parent() != null) {
            md.append(breadcrumbs(spec)).append("\n\n");
        }
        String description = (text(spec.usageMessage().header()) + "\n" + text(spec.usageMessage().description())).strip();
        if (!description.isEmpty()) {
            md.append(paragraphs(description)).append("\n\n");
        }
        if (spec.parent() == null) {
            md.append("This is the reference of every command, one page each, generated from the program's own picocli "
                    + "model: what `--help` prints, with every option's default. The commands are listed "
                    + "[below](#commands).\n\n");
        }
        md.append("## Usage\n\n```text\n").append(usage(cl)).append("```\n\n");
        positionals(spec, md);
        options(spec, md);
        subcommands(cl, md);
        if (spec.parent() == null) {
            index(all, md);
        }
        footer(spec, md);
        exitCodes(spec, md);
        return stable(md.toString().stripTrailing() + "\n");
    }

    private static String breadcrumbs(CommandSpec spec) {
        List<String> parts = new ArrayList<>();
        for (CommandSpec s = spec.parent(); s != null; s = s.parent()) {
            parts.add(0, "[" + s.qualifiedName() + "](" + fileName(s) + ")");
        }
        parts.add(spec.name());
        return String.join(" › ", parts);
    }

    private static String usage(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().width(USAGE_WIDTH).autoWidth(false);
        Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        return help.synopsis(0).lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
    }

    private static void positionals(CommandSpec spec, StringBuilder md) {
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (params.isEmpty()) {
            return;
        }
        md.append("## Arguments\n\n| Argument | Default | Description |\n| --- | --- | --- |\n");
        for (PositionalParamSpec p : params) {
            String label = p.paramLabel() + (p.arity().isVariable() ? "..." : "");
            md.append("| ").append(code(label)).append(" | ").append(defaultOf(p)).append(" | ")
                    .append(description(p)).append(" |\n");
        }
        md.append('\n');
    }

    private static void options(CommandSpec spec, StringBuilder md) {
        List<OptionSpec> options = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
        if (options.isEmpty()) {
            return;
        }
        if (spec.usageMessage().sortOptions()) {
            options.sort(Help.createShortOptionNameComparator());
        }
        md.append("## Options\n\n| Option | Default | Description |\n| --- | --- | --- |\n");
        for (OptionSpec o : options) {
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) {
                names.append(names.length() == 0 ? "" : ", ").append(code(n));
            }
            if (o.arity().max() > 0) {
                names.append(' ').append(code(o.paramLabel()));
            }
            md.append("| ").append(names).append(" | ").append(defaultOf(o)).append(" | ")
                    .append(o.required() && o.group() == null ? "**Required.** " : "").append(description(o)).append(" |\n");
        }
        md.append('\n');
        for (ArgGroupSpec g : spec.argGroups()) {
            md.append(g.exclusive() ? "Mutually exclusive, " : "Together, ").append(multiplicity(g)).append(": ")
                    .append('`').append(g.synopsis()).append("`.\n\n");
        }
    }

    private static String multiplicity(ArgGroupSpec g) {
        CommandLine.Range m = g.multiplicity();
        if (m.min() == 1 && m.max() == 1) {
            return "exactly once";
        }
        if (m.min() == 0 && m.max() == 1) {
            return "at most once";
        }
        return m.min() + (m.isUnspecified() || m.max() == Integer.MAX_VALUE ? " or more times" : " to " + m.max() + " times");
    }

    private static void subcommands(CommandLine cl, StringBuilder md) {
        List<CommandLine> subs = cl.getSubcommands().values().stream().distinct()
                .filter(s -> !s.getCommandSpec().usageMessage().hidden()).toList();
        if (subs.isEmpty() || cl.getCommandSpec().parent() == null) {
            return;   // the root page lists the whole tree instead
        }
        md.append("## Subcommands\n\n| Command | Description |\n| --- | --- |\n");
        for (CommandLine s : subs) {
            md.append("| ").append(link(s.getCommandSpec(), s.getCommandSpec().name())).append(" | ")
                    .append(summary(s.getCommandSpec())).append(" |\n");
        }
        md.append('\n');
    }

    private static void index(List<CommandLine> all, StringBuilder md) {
        md.append("## Commands\n\n| Command | Description |\n| --- | --- |\n");
        for (CommandLine cl : all) {
            CommandSpec s = cl.getCommandSpec();
            if (s.parent() != null) {
                md.append("| ").append(link(s, s.qualifiedName())).append(" | ").append(summary(s)).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static void footer(CommandSpec spec, StringBuilder md) {
        String footer = text(spec.usageMessage().footer()).strip();
        if (footer.isEmpty()) {
            return;
        }
        List<String> lines = footer.lines().toList();
        String first = lines.get(0).strip();
        if (first.equals("Example:") || first.equals("Examples:")) {
            md.append("## ").append(first, 0, first.length() - 1).append("\n\n```sh\n");
            lines.subList(1, lines.size()).forEach(l -> md.append(l.strip()).append('\n'));
            md.append("```\n\n");
        } else {
            md.append(paragraphs(footer)).append("\n\n");
        }
    }

    private static void exitCodes(CommandSpec spec, StringBuilder md) {
        Map<String, String> codes = spec.usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            return;
        }
        md.append("## Exit codes\n\n| Code | Meaning |\n| --- | --- |\n");
        codes.forEach((code, meaning) -> md.append("| ").append(code(code.strip())).append(" | ")
                .append(cell(text(new String[] {meaning}))).append(" |\n"));
        md.append('\n');
    }

    private static String link(CommandSpec s, String label) {
        return "[" + code(label) + "](" + fileName(s) + ")";
    }

    /** The header's or else the description's first line, as picocli's own command list shows it. */
    private static String summary(CommandSpec s) {
        String[] header = s.usageMessage().header();
        String d = text(header.length > 0 ? header : s.usageMessage().description()).strip();
        return cell(d.lines().findFirst().orElse(""));
    }

    private static String description(ArgSpec a) {
        return cell(text(a.description()));
    }

    /**
     * The default as declared ({@code defaultValue}), or a field's initial value other than
     * nothing, false or zero-length; the core count of a thread or worker option as a placeholder.
     */
    private static String defaultOf(ArgSpec a) {
        String d = a.defaultValue();
        if (d == null && a.hasInitialValue() && a.initialValue() != null && !(a.initialValue() instanceof Boolean)
                && !a.isMultiValue()) {
            d = String.valueOf(a.initialValue());
        }
        if (d == null || d.isEmpty()) {
            return "";
        }
        if (a instanceof OptionSpec o && o.longestName().matches(".*(thread|worker|core|cpu|jobs).*") && d.equals(CORES)) {
            return "(cores of the machine)";
        }
        return code(d);
    }

    private static final String CORES = String.valueOf(Runtime.getRuntime().availableProcessors());

    /** picocli's text lines as it prints them: {@code %n} a line break, {@code %%} a percent sign. */
    private static String text(String[] lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(b.length() == 0 ? "" : "\n").append(l.replace("%n", "\n").replace("%%", "%"));
        }
        return b.toString();
    }

    private static String paragraphs(String text) {
        return escape(text.strip()).replaceAll("\n\\s*\n", "\n\n").replaceAll("(?<!\n)\n(?!\n)", "  \n");
    }

    private static String cell(String text) {
        return escape(text.strip()).replaceAll("\\s*\n\\s*", "<br>");
    }

    /** Markdown's active characters in running text, and the table's cell separator. */
    private static String escape(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>|])", "\\\\$1");
    }

    /** An inline code span (a backtick inside takes a longer fence; a bar is escaped for tables). */
    private static String code(String text) {
        String fence = text.contains("`") ? "``" : "`";
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text.replace("|", "\\|") + pad + fence;
    }

    /**
     * Text that would differ between machines, replaced by placeholders: the installation root
     * ({@code parsimony.home}), the working and home directories.
     */
    static String stable(String text) {
        Map<String, String> machine = new LinkedHashMap<>();
        put(machine, System.getProperty("parsimony.home"), "$PARSIMONY_HOME");
        put(machine, System.getProperty("user.dir"), "$PWD");
        put(machine, System.getProperty("user.home"), "~");
        List<Map.Entry<String, String>> byLength = new ArrayList<>(machine.entrySet());
        byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        String out = text;
        for (Map.Entry<String, String> e : byLength) {
            out = out.replaceAll("(?<![\\w.-])" + java.util.regex.Pattern.quote(e.getKey()) + "(?=/|\\b|$)",
                    java.util.regex.Matcher.quoteReplacement(e.getValue()));
        }
        return out;
    }

    private static void put(Map<String, String> m, String path, String placeholder) {
        if (path != null && path.length() > 1) {
            String p = Path.of(path).toAbsolutePath().normalize().toString();
            if (p.length() > 1) {
                m.put(p, placeholder);
            }
        }
    }
}
