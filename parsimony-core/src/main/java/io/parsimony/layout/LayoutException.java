package io.parsimony.layout;

/**
 * An expected mistake in a layout, shape or budget. The message is one line that names the
 * problem and what to do, so the CLI can print it as it is.
 */
public class LayoutException extends io.parsimony.InputException {
    public LayoutException(String message) {
        super(message);
    }
}
