package io.parsimony.experiment.design;

import io.parsimony.InputException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The network families a design draws candidates from (seeds 001, 002 and 004). */
public enum Family {
    /** Plain CNNs: the top-energy layouts of each depth (seed 001). */
    PLAIN,
    /** Block-unit ResNets of a few repeat patterns (seed 001, Table 3). */
    RESNET,
    /** Plain DACNNs: one shared kernel, so depth costs almost nothing (seed 002). */
    DACNN,
    /** Learnable-repetition rescalings of smaller plain bases (seed 004). */
    RESCALED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "plain,resnet" → {PLAIN, RESNET}; an unknown or empty name is refused in one line. */
    public static Set<Family> parseList(String text) {
        EnumSet<Family> out = EnumSet.noneOf(Family.class);
        for (String part : text.split(",", -1)) {
            String p = part.strip().toUpperCase(Locale.ROOT);
            try {
                out.add(Family.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new InputException("unknown family '" + part.strip() + "' in --families; use a comma list of "
                        + "plain, resnet, dacnn, rescaled");
            }
        }
        return out;
    }
}
