package io.parsimony.nn.engine;

import io.parsimony.InputException;

/**
 * The engine computes wrong numbers on this host and nothing Parsimony can switch makes it
 * right (or {@code --numerics strict} forbade switching): refused before anything trains, one
 * line naming what failed and the way out, exit 2 in the CLI.
 */
public final class NumericsException extends InputException {
    public NumericsException(String message) {
        super(message);
    }
}
