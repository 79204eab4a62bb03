package io.parsimony.nn.train;

/** The loss became NaN or infinite: an expected outcome of a too-high learning rate, reported in one line. */
public final class TrainingDivergedException extends io.parsimony.InputException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
