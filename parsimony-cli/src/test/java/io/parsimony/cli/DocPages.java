package io.parsimony.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's documentation as the tests read it: README.md and every {@code docs/**}{@code /*.md},
 * with the commands they show, the names in their inline code, their links and their anchors.
 *
 * <p>A <em>command</em> is a {@code bin/parsimony ...} line in a fenced code block (after an optional
 * {@code $ } prompt and {@code NAME=value} environment prefixes; a trailing backslash joins the next
 * line; {@code #} comments, pipes, {@code ;}, {@code &&} and redirections end it; {@code $VAR} is
 * expanded from {@code VAR=...} lines earlier in the same block), or an inline code span that starts
 * with {@code bin/parsimony} and a command word. Lines of a block that do not start that way are
 * output, and are not read.
 */
final class DocPages {

    /** One page: its path from the project root and its lines. */
    record Page(Path root, Path relative, List<String> lines) {

        Path file() {
            return root.resolve(relative);
        }

        @Override
        public String toString() {
            return relative.toString();
        }
    }

    /** A command shown in a page: where, as written, and its arguments after {@code bin/parsimony}. */
    record Command(Page page, int line, String text, List<String> args) {

        String where() {
            return page + ":" + line;
        }
    }

    /** A relative link or image: where, and its target as written. */
    record Link(Page page, int line, String target) {
    }

    static final String PROGRAM = "bin/parsimony";

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("#{1,6}\\s+(.*?)\\s*#*\\s*");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    final Path root;
    final List<Page> pages;

    private DocPages(Path root, List<Page> pages) {
        this.root = root;
        this.pages = pages;
    }

    /** The pages of the project above the working directory. */
    static DocPages load() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("parsimony-cli")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("project root with README.md not found above " + Path.of("").toAbsolutePath());
        }
        Path root = dir;
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Page> pages = new ArrayList<>();
        for (Path f : files) {
            try {
                pages.add(new Page(root, root.relativize(f), Files.readAllLines(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DocPages(root, pages);
    }

    /** All pages' text outside fenced blocks, whitespace collapsed: where prose claims are read. */
    String prose() {
        StringBuilder all = new StringBuilder();
        for (Page p : pages) {
            all.append(String.join("\n", outsideFences(p))).append('\n');
        }
        return all.toString().replaceAll("\\s+", " ");
    }

    /** The page's lines with fenced blocks blanked out (line numbers kept). */
    static List<String> outsideFences(Page page) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : page.lines()) {
            if (isFence(line)) {
                fenced = !fenced;
                out.add("");
            } else {
                out.add(fenced ? "" : line);
            }
        }
        return out;
    }

    private static boolean isFence(String line) {
        String s = line.strip();
        return s.startsWith("```") || s.startsWith("~~~");
    }

    /** Every command shown in a fenced block or an inline code span of any page. */
    List<Command> commands() {
        List<Command> out = new ArrayList<>();
        for (Page p : pages) {
            out.addAll(fencedCommands(p));
            out.addAll(inlineCommands(p));
        }
        return out;
    }

    private static List<Command> fencedCommands(Page page) {
        List<Command> out = new ArrayList<>();
        Map<String, String> vars = new HashMap<>();
        boolean fenced = false;
        List<String> lines = page.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isFence(line)) {
                fenced = !fenced;
                vars.clear();
                continue;
            }
            if (!fenced) {
                continue;
            }
            int first = i;
            String text = line.strip();
            while (text.endsWith("\\") && i + 1 < lines.size() && !isFence(lines.get(i + 1))) {
                text = text.substring(0, text.length() - 1) + " " + lines.get(++i).strip();
            }
            if (text.startsWith("$ ")) {
                text = text.substring(2).strip();
            }
            if (!(text.equals(PROGRAM) || text.startsWith(PROGRAM + " ") || ASSIGNMENT.matcher(text).matches())) {
                continue;   // output, or another program
            }
            List<String> words;
            try {
                words = shellWords(text, vars);
            } catch (IllegalArgumentException e) {
                if (!text.contains(PROGRAM)) {
                    continue;   // an assignment this reader cannot follow ($(...), say), used by no command yet
                }
                throw new IllegalArgumentException(page + ":" + (first + 1) + ": " + e.getMessage() + ": " + text, e);
            }
            int w = 0;
            while (w < words.size() && ASSIGNMENT.matcher(words.get(w)).matches()) {
                w++;
            }
            if (w == words.size()) {   // NAME=value lines define variables for the rest of the block
                for (String a : words) {
                    int eq = a.indexOf('=');
                    vars.put(a.substring(0, eq), a.substring(eq + 1));
                }
            } else if (words.get(w).equals(PROGRAM)) {
                out.add(new Command(page, first + 1, text, List.copyOf(words.subList(w + 1, words.size()))));
            }
        }
        return out;
    }

    private static List<Command> inlineCommands(Page page) {
        List<Command> out = new ArrayList<>();
        List<String> lines = outsideFences(page);
        String joined = String.join("\n", lines);
        Matcher m = INLINE_CODE.matcher(joined);
        while (m.find()) {
            String code = m.group(1).replaceAll("\\s+", " ").strip();
            if (code.matches(Pattern.quote(PROGRAM) + " [a-z].*")) {
                int line = (int) joined.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                List<String> words = shellWords(code, Map.of());
                out.add(new Command(page, line, code, List.copyOf(words.subList(1, words.size()))));
            }
        }
        return out;
    }

    /** Inline code spans outside fenced blocks, whitespace collapsed. */
    List<String> inlineCode() {
        List<String> out = new ArrayList<>();
        for (Page p : pages) {
            Matcher m = INLINE_CODE.matcher(String.join("\n", outsideFences(p)));
            while (m.find()) {
                out.add(m.group(1).replaceAll("\\s+", " ").strip());
            }
        }
        return out;
    }

    /**
     * Lines outside fences that an indented code block would show as a command: such a command
     * would not be checked, so pages must fence their commands.
     */
    List<String> indentedCommands() {
        List<String> out = new ArrayList<>();
        for (Page p : pages) {
            List<String> lines = outsideFences(p);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("( {4,}|\\t)(\\$ )?" + Pattern.quote(PROGRAM) + "( .*)?")) {
                    out.add(p + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        return out;
    }

    /** Relative links and images (not http(s), mailto or other schemes). */
    List<Link> relativeLinks() {
        List<Link> out = new ArrayList<>();
        for (Page p : pages) {
            List<String> lines = outsideFences(p);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINK.matcher(lines.get(i).replaceAll("`[^`]*`", "``"));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        out.add(new Link(p, i + 1, target));
                    }
                }
            }
        }
        return out;
    }

    /** The anchors GitHub gives a Markdown file: heading slugs (with -1, -2 for repeats) and HTML ids. */
    static Set<String> anchors(Path file) throws IOException {
        Page page = new Page(file.getParent(), file.getFileName(), Files.readAllLines(file));
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideFences(page)) {
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(1));
                int n = seen.merge(slug, 1, Integer::sum);
                out.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            Matcher id = HTML_ID.matcher(line);
            while (id.find()) {
                out.add(id.group(1));
            }
        }
        return out;
    }

    /** GitHub's heading slug: the rendered text lower-cased, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                s.appendCodePoint(Character.toLowerCase(c));
            } else if (c == ' ') {
                s.append('-');
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The words of one shell command line: quotes removed, {@code $VAR} and {@code ${VAR}} expanded
     * from {@code vars} (split into words outside double quotes), up to the first unquoted comment,
     * pipe, {@code ;}, {@code &} or redirection (a file-descriptor number before it is dropped).
     *
     * @throws IllegalArgumentException for an unknown variable or an unclosed quote
     */
    static List<String> shellWords(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                i++;
            } else if (c == '#' && w == null) {
                break;
            } else if ("|;&<>".indexOf(c) >= 0) {
                if (w != null && !((c == '>' || c == '<') && w.toString().matches("\\d+"))) {
                    words.add(w.toString());
                }
                return words;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed single quote");
                }
                w = (w == null ? new StringBuilder() : w).append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                w = w == null ? new StringBuilder() : w;
                int j = i + 1;
                while (j < n && line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\' && j + 1 < n) {
                        w.append(line.charAt(j + 1));
                        j += 2;
                    } else if (line.charAt(j) == '$') {
                        int[] end = new int[1];
                        w.append(variable(line, j, vars, end));
                        j = end[0];
                    } else {
                        w.append(line.charAt(j++));
                    }
                }
                if (j >= n) {
                    throw new IllegalArgumentException("unclosed double quote");
                }
                i = j + 1;
            } else if (c == '$') {
                int[] end = new int[1];
                String value = variable(line, i, vars, end);
                i = end[0];
                String[] parts = value.strip().split("\\s+");
                for (int k = 0; k < parts.length; k++) {
                    if (parts[k].isEmpty()) {
                        continue;
                    }
                    if (k > 0 && w != null) {
                        words.add(w.toString());
                        w = null;
                    }
                    w = (w == null ? new StringBuilder() : w).append(parts[k]);
                }
            } else if (c == '\\' && i + 1 < n) {
                w = (w == null ? new StringBuilder() : w).append(line.charAt(i + 1));
                i += 2;
            } else {
                w = (w == null ? new StringBuilder() : w).append(c);
                i++;
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }

    private static String variable(String line, int dollar, Map<String, String> vars, int[] end) {
        Matcher m = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))").matcher(line);
        if (!m.find(dollar) || m.start() != dollar) {
            throw new IllegalArgumentException("not a variable a page defines at column " + (dollar + 1));
        }
        String name = m.group(1) != null ? m.group(1) : m.group(2);
        String value = vars.get(name);
        if (value == null) {
            throw new IllegalArgumentException("$" + name + " is not defined earlier in its block");
        }
        end[0] = m.end();
        return value;
    }
}
