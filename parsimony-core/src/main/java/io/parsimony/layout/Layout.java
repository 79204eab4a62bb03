package io.parsimony.layout;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The widths (n1..nN) of a network's conv units: the paper's "parameter layout".
 * Immutable; the array is copied in and out so a layout can be shared freely.
 */
public record Layout(int[] widths) implements Comparable<Layout> {

    /**
     * The widest unit supported: 2^30 channels. Far beyond any network that fits in memory, and
     * low enough that a width plus one, or twice a width, never overflows an {@code int}.
     */
    public static final int MAX_WIDTH = 1 << 30;

    /** The most units a layout may have; also the most conv layers a network may have. */
    public static final int MAX_UNITS = 10_000;

    public Layout {
        if (widths == null || widths.length == 0) {
            throw new LayoutException("a layout needs at least one width");
        }
        requireUnits(widths.length);
        widths = widths.clone();
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= 0) {
                throw new LayoutException("width n" + (i + 1) + " is " + widths[i]
                        + "; every width must be a positive number of channels");
            }
            if (widths[i] > MAX_WIDTH) {
                throw tooWide(i, BigInteger.valueOf(widths[i]));
            }
        }
    }

    /** Refuses more than {@link #MAX_UNITS} units before anything proportional to them is allocated. */
    public static void requireUnits(long units) {
        if (units > MAX_UNITS) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "%,d units is above the largest supported %,d; give fewer widths or layers", units, MAX_UNITS));
        }
    }

    private static LayoutException tooWide(int i, BigInteger width) {
        return new LayoutException(String.format(Locale.ROOT,
                "width n%d is %,d, above the largest supported width of %,d channels", i + 1, width, MAX_WIDTH));
    }

    /** The layout of widths n1..nN (the input channels n0 are the shape's), e.g. {@code Layout.of(35, 36, 37, 43)}. */
    public static Layout of(int... widths) {
        return new Layout(widths);
    }

    /** Parses "35,36,37,43", "(35, 36, 37, 43)" or "35 36 37 43". */
    public static Layout parse(String text) {
        String body = text.trim().replaceAll("^[(\\[]|[)\\]]$", "").trim();
        if (body.isEmpty()) {
            throw new LayoutException("empty layout '" + text + "'; write widths like 35,36,37,43");
        }
        String[] parts = body.split("[,\\s]+");
        requireUnits(parts.length);
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("[+-]?\\d+")) {
                throw new LayoutException("'" + abbreviate(parts[i]) + "' in layout '" + abbreviate(text)
                        + "' is not a whole number; write widths like 35,36,37,43");
            }
            // a digit string of any length: no parse of a million digits, no overflow into "not a number"
            String digits = parts[i].replaceFirst("^[+-]?0*", "");
            boolean negative = parts[i].startsWith("-") && !digits.isEmpty();
            if (digits.isEmpty() || negative) {
                throw new LayoutException("width n" + (i + 1) + " is " + (negative ? abbreviate(parts[i]) : "0")
                        + "; every width must be a positive number of channels");
            }
            if (digits.length() > 30) {
                throw new LayoutException(String.format(Locale.ROOT,
                        "width n%d has %,d digits, above the largest supported width of %,d channels",
                        i + 1, digits.length(), MAX_WIDTH));
            }
            BigInteger w = new BigInteger(digits);
            if (w.compareTo(BigInteger.valueOf(MAX_WIDTH)) > 0) {
                throw tooWide(i, w);
            }
            widths[i] = w.intValueExact();
        }
        return new Layout(widths);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    public int size() {
        return widths.length;
    }

    public int width(int unit) {
        return widths[unit];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout other && Arrays.equals(widths, other.widths);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths);
    }

    /** Lexicographic, so that ties in energy have a stable order. */
    @Override
    public int compareTo(Layout o) {
        return Arrays.compare(widths, o.widths);
    }

    /** The layout for a one-line message: at most 12 widths, the rest elided with their number. */
    public String brief() {
        if (widths.length <= 12) {
            return toString();
        }
        return Arrays.stream(widths, 0, 8).mapToObj(Integer::toString).collect(Collectors.joining(",", "(", ""))
                + String.format(Locale.ROOT, ",... %,d more ...,", widths.length - 10)
                + widths[widths.length - 2] + "," + widths[widths.length - 1] + ")";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public String toString() {
        return Arrays.stream(widths).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
