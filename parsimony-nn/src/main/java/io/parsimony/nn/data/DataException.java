package io.parsimony.nn.data;

import io.parsimony.InputException;

/**
 * A data set that is missing, truncated, corrupt or in the wrong format. It is an {@link InputException}
 * because the fix is on the user's side (install, re-download, point to the right folder), so the CLI prints
 * the message as it is; the message is therefore always one line naming the file, the problem and the fix.
 */
public class DataException extends InputException {

    public DataException(String message) {
        super(oneLine(message));
    }

    /** Wraps a lower-level failure; its (possibly multi-line) message is folded into the one line. */
    public DataException(String message, Throwable cause) {
        super(oneLine(message));
        initCause(cause);
    }

    /** Folds line breaks so that a message built from a library's text still prints as one line. */
    static String oneLine(String message) {
        return message == null ? "data error" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    /** The text of a lower-level exception for use inside a message: its message, else its type. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** 47040016 -> "47,040,016": big byte counts are checked by eye against a file listing. */
    static String bytes(long n) {
        return String.format("%,d", n);
    }
}
