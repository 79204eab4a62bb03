package io.parsimony.layout;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The widths (n1..nN) of a network's conv units: the paper's "parameter layout".
 * Immutable; the array is copied in and out so a layout can be shared freely.
 */
public record Layout(int[] widths) implements Comparable<Layout> {

    public Layout {
        if (widths == null || widths.length == 0) {
            throw new LayoutException("a layout needs at least one width");
        }
        widths = widths.clone();
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] <= 0) {
                throw new LayoutException("width n" + (i + 1) + " is " + widths[i]
                        + "; every width must be a positive number of channels");
            }
        }
    }

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
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new LayoutException("'" + parts[i] + "' in layout '" + text
                        + "' is not a whole number; write widths like 35,36,37,43");
            }
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

    @Override
    public String toString() {
        return Arrays.stream(widths).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
