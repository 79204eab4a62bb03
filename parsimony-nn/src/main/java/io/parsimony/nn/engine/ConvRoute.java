package io.parsimony.nn.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * How one conv shape runs on this host: with its out-channels padded to a multiple of 16, and/or
 * in the other memory format than the network's (its input converted, its output converted
 * back). Each is the same function with the same gradients; they differ in which oneDNN kernel
 * runs, and on a faulty host some kernels are wrong only for some shapes (docs/numerics.md), so
 * {@link Numerics} probes a shape's routes in order of cost and keeps the first that is right.
 */
public record ConvRoute(boolean padOutputs, boolean otherFormat) {

    /** The conv as the network calls it. */
    public static final ConvRoute AS_IS = new ConvRoute(false, false);

    /**
     * The routes to try for {@code shape}, cheapest first: the process's default, then padding,
     * then the other format (without, then with padding). Padding a conv whose out-channels are a
     * multiple of 16 changes nothing, so such duplicates are left out; a one-channel input is the
     * same bytes in both formats, so it has no other format to try.
     */
    static List<ConvRoute> candidates(ConvShape shape, boolean padByDefault) {
        boolean padMatters = shape.out() % Convolutions.MULTIPLE != 0;
        List<ConvRoute> routes = new ArrayList<>();
        routes.add(new ConvRoute(padByDefault && padMatters, false));
        if (padMatters && !padByDefault) {
            routes.add(new ConvRoute(true, false));
        }
        if (shape.in() > 1 && shape.groups() == 1) {
            routes.add(new ConvRoute(padByDefault && padMatters, true));
            if (padMatters && !padByDefault) {
                routes.add(new ConvRoute(true, true));
            }
        }
        return routes;
    }

    /** e.g. "padded, in contiguous layout" or "as is". */
    String describe(MemoryFormat format) {
        if (!padOutputs && !otherFormat) {
            return "as is";
        }
        return (padOutputs ? "padded" : "") + (padOutputs && otherFormat ? ", " : "")
                + (otherFormat ? "in " + format.other().label() + " layout" : "");
    }
}
