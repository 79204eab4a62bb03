package io.parsimony.nn.train;

import io.parsimony.InputException;

/** The update rules Parsimony trains with: SGD with momentum (seed 001) and Adagrad (seed 002). */
public enum OptimizerKind {
    SGD, ADAGRAD;

    public static OptimizerKind parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "sgd" -> SGD;
            case "adagrad" -> ADAGRAD;
            default -> throw new InputException("unknown optimizer '" + s + "': use sgd or adagrad");
        };
    }
}
