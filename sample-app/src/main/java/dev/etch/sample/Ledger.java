package dev.etch.sample;

import dev.etch.EtchCollection;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The whole state of the ledger, as one Etch store holds it.
 *
 * <p>Collection ids are written into the log: they never change, component names may. Every change
 * goes through {@link LedgerService}, which keeps these invariants in each commit: an account's balance
 * is its deposits plus the transfers it received minus those it sent, never negative; the sum of all
 * balances equals the sum of all deposits; every transfer has its two entries in {@code transfersByAccount}.
 *
 * @param accounts accounts by id
 * @param transfers transfers by id, ids ascending from 1 in commit order
 * @param deposits deposits by id, ids ascending from 1 in commit order
 * @param transfersByAccount an index: (account, transfer id) for the sender and the receiver of every transfer,
 *     so an account's transfers are one sorted range of keys
 */
public record Ledger(
        @EtchCollection(0) Map<String, Account> accounts,
        @EtchCollection(1) NavigableMap<Long, Transfer> transfers,
        @EtchCollection(2) NavigableMap<Long, Deposit> deposits,
        @EtchCollection(3) NavigableMap<AccountTransfer, Long> transfersByAccount) {

    /**
     * A key of the {@code transfersByAccount} index. Records as keys sort component by component, so all the
     * keys of one account are adjacent and ordered by transfer id.
     *
     * @param account an account that sent or received the transfer
     * @param transferId the transfer's id
     */
    public record AccountTransfer(String account, long transferId) {}
}
