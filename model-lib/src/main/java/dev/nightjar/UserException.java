package dev.nightjar;

/**
 * An error the user can fix: a bad path, a bad config value, bad data. The CLI prints its
 * message on one line and exits with code 2 (no stack trace unless --verbose).
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
