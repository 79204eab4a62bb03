package io.parsimony;

/**
 * Long work (training, a sweep) was stopped by an interrupt of its thread, as an embedding program or a
 * time-boxed caller does. An expected outcome, reported in one line like any other input mistake; whatever was
 * already written (checkpoints, stored runs) stays as it was.
 */
public class InterruptedWorkException extends InputException {
    public InterruptedWorkException(String message) {
        super(message);
    }
}
