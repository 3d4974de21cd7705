package dev.etch.sample;

/** No account has the given id. Served as 404; nothing was written. */
public class AccountNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;

    /**
     * @param accountId the id that names no account
     */
    public AccountNotFoundException(String accountId) {
        super("No account '" + accountId + "'");
        this.accountId = accountId;
    }

    /** @return the id that names no account */
    public String accountId() {
        return accountId;
    }
}
