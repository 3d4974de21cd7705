package dev.etch.sample;

import java.time.Instant;

/**
 * A committed deposit: money entering the ledger. The sum of all deposits is the sum of all balances.
 *
 * @param id the deposit's id, ascending in commit order
 * @param account the account credited
 * @param amountCents the amount, positive
 * @param at when it was committed
 */
public record Deposit(long id, String account, long amountCents, Instant at) {}
