package io.parsimony.balance;

import io.parsimony.layout.LayoutException;

import io.parsimony.layout.Layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stage of a backbone: {@code blocks} blocks of one kind at one width. A fixed stage
 * (typically the stem, whose 3 input channels make its cost negligible) keeps its width when
 * the backbone is balanced.
 */
public record Stage(String name, BlockKind kind, int width, int blocks, int kernel, int stride, boolean fixed) {

    public Stage {
        if (width < 1) {
            throw new LayoutException("stage " + name + " has width " + width + ": widths must be positive");
        }
        if (blocks < 1) {
            throw new LayoutException("stage " + name + " has " + blocks + " blocks: give at least 1");
        }
        if (kernel < 1 || stride < 1) {
            throw new LayoutException("stage " + name + " needs a kernel and stride of at least 1");
        }
        if ((long) width * kind.expansion() > Layout.MAX_WIDTH) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "stage %s has width %,d (%,d output channels), above the largest supported width of %,d channels",
                    name, width, (long) width * kind.expansion(), Layout.MAX_WIDTH));
        }
        if (blocks > Layout.MAX_UNITS) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "stage %s has %,d blocks, above the largest supported %,d", name, blocks, Layout.MAX_UNITS));
        }
    }

    public Stage withWidth(int w) {
        return new Stage(name, kind, w, blocks, kernel, stride, fixed);
    }

    public int outChannels() {
        return kind.outChannels(width);
    }

    /** Conv weights of this stage after {@code in} input channels; refuses a count past a {@code long}. */
    public long weights(int in) {
        long w = weights(in, width);
        if (w == Long.MAX_VALUE) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "stage %s (%d x %s, width %,d, kernel %d) has more than %,d weights, the largest supported count;"
                            + " use narrower stages, fewer blocks or a smaller kernel",
                    name, blocks, kind.name().toLowerCase(Locale.ROOT), width, kernel, Long.MAX_VALUE - 1));
        }
        return w;
    }

    /** Conv weights at width w, or {@link Long#MAX_VALUE} where the count does not fit a {@code long}. */
    long weights(long in, long w) {
        try {
            long k2 = Math.multiplyExact((long) kernel, (long) kernel);
            long out = Math.multiplyExact(w, (long) kind.expansion());
            boolean project = stride != 1 || in != out;
            long more = blocks - 1L;
            long inW = Math.multiplyExact(in, w);
            long ww = Math.multiplyExact(w, w);
            return switch (kind) {
                case CONV -> Math.multiplyExact(k2, Math.addExact(inW, Math.multiplyExact(more, ww)));
                case BASIC -> Math.addExact(Math.addExact(Math.multiplyExact(k2, Math.addExact(inW, ww)), project ? inW : 0),
                        Math.multiplyExact(Math.multiplyExact(2 * more, k2), ww));
                case BOTTLENECK -> {
                    long wOut = Math.multiplyExact(w, out);
                    long k2ww = Math.multiplyExact(k2, ww);
                    long first = Math.addExact(Math.addExact(inW, k2ww), wOut);
                    long projection = project ? Math.multiplyExact(in, out) : 0;
                    long rest = Math.multiplyExact(more, Math.addExact(Math.addExact(wOut, k2ww), wOut));
                    yield Math.addExact(Math.addExact(first, projection), rest);
                }
            };
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Output width of every conv on the main path, in order: the factors of the energy. */
    List<Integer> convWidths() {
        List<Integer> ws = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            switch (kind) {
                case CONV -> ws.add(width);
                case BASIC -> {
                    ws.add(width);
                    ws.add(width);
                }
                case BOTTLENECK -> {
                    ws.add(width);
                    ws.add(width);
                    ws.add(outChannels());
                }
            }
        }
        return ws;
    }
}
