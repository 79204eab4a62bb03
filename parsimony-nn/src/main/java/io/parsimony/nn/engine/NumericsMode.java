package io.parsimony.nn.engine;

import io.parsimony.InputException;

import java.util.Locale;

/**
 * What the user lets the numerics check do ({@value #PROPERTY}, else {@value #ENVIRONMENT}, else
 * {@code check}; the CLI's {@code --numerics} sets the property).
 */
public enum NumericsMode {
    /** Check, and when the engine is wrong switch to the cheapest configuration that passes (the default). */
    CHECK,
    /** Check, and refuse to run when the engine as configured is wrong (no fallback). */
    STRICT,
    /** Pad every conv's out-channels to a multiple of 16 without checking (what the fallback does; to measure it). */
    PAD,
    /** No check, no remedy: the engine's numbers as they come. */
    OFF;

    public static final String PROPERTY = "parsimony.numerics";
    public static final String ENVIRONMENT = "PARSIMONY_NUMERICS";

    public static NumericsMode configured() {
        return parse(System.getProperty(PROPERTY, System.getenv().getOrDefault(ENVIRONMENT, "check")));
    }

    public static NumericsMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "check", "" -> CHECK;
            case "strict" -> STRICT;
            case "pad" -> PAD;
            case "off" -> OFF;
            default -> throw new InputException("unknown numerics mode '" + value + "' (--numerics, " + ENVIRONMENT + " or -D"
                    + PROPERTY + "): use check, strict, pad or off");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
