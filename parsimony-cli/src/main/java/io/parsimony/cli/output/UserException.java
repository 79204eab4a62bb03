package io.parsimony.cli.output;

/** An expected mistake in the command's input: reported as one line, exit code 2. */
public class UserException extends io.parsimony.InputException {
    public UserException(String message) {
        super(message);
    }
}
