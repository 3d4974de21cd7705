package dev.etch.sample;

/** A request field that passed its own constraints but not a rule across fields. Served as 400. */
public class InvalidFieldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the field at fault
     * @param message what is wrong with it
     */
    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the field at fault */
    public String field() {
        return field;
    }
}
