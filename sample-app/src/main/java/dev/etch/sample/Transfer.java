package dev.etch.sample;

import java.time.Instant;

/**
 * A committed transfer, as stored and as served.
 *
 * @param id the transfer's id, ascending in commit order
 * @param from the account debited
 * @param to the account credited
 * @param amountCents the amount, positive
 * @param at when it was committed
 */
public record Transfer(long id, String from, String to, long amountCents, Instant at) {}
