package io.parsimony.balance;

import io.parsimony.layout.LayoutException;

import java.util.ArrayList;
import java.util.List;

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
    }

    public Stage withWidth(int w) {
        return new Stage(name, kind, w, blocks, kernel, stride, fixed);
    }

    public int outChannels() {
        return kind.outChannels(width);
    }

    /** Conv weights of this stage after {@code in} input channels. */
    public long weights(int in) {
        return weights(in, width);
    }

    long weights(long in, long w) {
        long k2 = (long) kernel * kernel;
        long out = (long) kind.outChannels((int) w);
        boolean project = stride != 1 || in != out;
        return switch (kind) {
            case CONV -> k2 * (in * w + (blocks - 1) * w * w);
            case BASIC -> k2 * (in * w + w * w) + (project ? in * w : 0)
                    + (blocks - 1) * 2 * k2 * w * w;
            case BOTTLENECK -> (in * w + k2 * w * w + w * out) + (project ? in * out : 0)
                    + (blocks - 1) * (out * w + k2 * w * w + w * out);
        };
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
