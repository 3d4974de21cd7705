package dev.etch.sample;

/** A transfer's amount exceeds the sender's balance. Served as 409; nothing was written. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String accountId;
    private final long balanceCents;
    private final long amountCents;

    /**
     * @param accountId the sender
     * @param balanceCents the sender's balance when the transfer was tried
     * @param amountCents the amount asked for
     */
    public InsufficientFundsException(String accountId, long balanceCents, long amountCents) {
        super("Account '" + accountId + "' has " + balanceCents + " cents, the transfer needs " + amountCents);
        this.accountId = accountId;
        this.balanceCents = balanceCents;
        this.amountCents = amountCents;
    }

    /** @return the sender */
    public String accountId() {
        return accountId;
    }

    /** @return the sender's balance when the transfer was tried */
    public long balanceCents() {
        return balanceCents;
    }

    /** @return the amount asked for */
    public long amountCents() {
        return amountCents;
    }
}
