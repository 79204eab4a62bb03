package io.parsimony;

/**
 * An expected mistake in what the user gave (a budget, a layout, a file, a flag). Its message
 * is one line naming the problem and the fix, so a program can print it as it is and exit 2;
 * unexpected failures use other exception types and keep their stack traces.
 */
public class InputException extends IllegalArgumentException {
    public InputException(String message) {
        super(message);
    }
}
