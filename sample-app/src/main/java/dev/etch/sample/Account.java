package dev.etch.sample;

/**
 * An account, as stored and as served: {@code {"id", "owner", "balanceCents"}}. Immutable: a change of balance
 * is a new {@code Account} put in the store.
 *
 * @param id the account's id, chosen by the client
 * @param owner the owner's name
 * @param balanceCents the balance in cents, never negative
 */
public record Account(String id, String owner, long balanceCents) {

    /**
     * Returns this account with {@code amountCents} added.
     *
     * @param amountCents a positive amount
     * @return the credited account
     */
    Account credit(long amountCents) {
        return new Account(id, owner, Math.addExact(balanceCents, amountCents));
    }

    /**
     * Returns this account with {@code amountCents} taken away; the caller has checked the balance covers it.
     *
     * @param amountCents a positive amount, at most the balance
     * @return the debited account
     */
    Account debit(long amountCents) {
        return new Account(id, owner, balanceCents - amountCents);
    }
}
