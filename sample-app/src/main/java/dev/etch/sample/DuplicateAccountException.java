package dev.etch.sample;

/** An account with the given id exists already. Served as 409; nothing was written. */
public class DuplicateAccountException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;

    /**
     * @param accountId the id already taken
     */
    public DuplicateAccountException(String accountId) {
        super("Account '" + accountId + "' exists already");
        this.accountId = accountId;
    }

    /** @return the id already taken */
    public String accountId() {
        return accountId;
    }
}
