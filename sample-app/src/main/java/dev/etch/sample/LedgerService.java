package dev.etch.sample;

import dev.etch.EtchStore;
import dev.etch.sample.Ledger.AccountTransfer;
import dev.etch.spring.EtchTransactional;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import org.springframework.stereotype.Service;

/**
 * Every read and change of the ledger. Each public method that changes something is one atomic commit: when it
 * returns, the change is on disk (the store's flush policy is {@code immediate}); when it throws, nothing of it was
 * written.
 */
@Service
public class LedgerService {

    private final EtchStore<Ledger> ledger;
    private final Clock clock;

    /**
     * @param ledger the store configured as {@code etch.stores.ledger}
     */
    public LedgerService(EtchStore<Ledger> ledger) {
        this.ledger = ledger;
        this.clock = Clock.systemUTC();
    }

    /**
     * Opens an account with a zero balance.
     *
     * @param id the new account's id
     * @param owner the owner's name
     * @return the account
     * @throws DuplicateAccountException if the id is taken
     */
    @EtchTransactional
    public Account open(String id, String owner) {
        // The writer lock is held from method entry, so nobody can take the id between this check and the put.
        if (ledger.read().accounts().containsKey(id)) {
            throw new DuplicateAccountException(id);
        }
        Account account = new Account(id, owner, 0);
        ledger.write(l -> l.accounts().put(id, account));
        return account;
    }

    /**
     * Adds money to an account and records the deposit.
     *
     * @param accountId the account credited
     * @param amountCents a positive amount
     * @return the account after the deposit
     * @throws AccountNotFoundException if there is no such account
     */
    @EtchTransactional
    public Account deposit(String accountId, long amountCents) {
        Account credited = find(accountId).credit(amountCents);
        ledger.write(l -> {
            long id = l.deposits().isEmpty() ? 1 : l.deposits().lastKey() + 1;
            l.deposits().put(id, new Deposit(id, accountId, amountCents, clock.instant()));
            l.accounts().put(accountId, credited);
        });
        return credited;
    }

    /**
     * Moves money between two accounts. The debit, the credit, the transfer record and its index entries are
     * separate writes below, and still one commit: they join this method's transaction, so a crash or an exception
     * at any point leaves all of them or none.
     *
     * @param from the account debited
     * @param to the account credited, not {@code from}
     * @param amountCents a positive amount
     * @return the committed transfer
     * @throws AccountNotFoundException if either account does not exist
     * @throws InsufficientFundsException if {@code from}'s balance is below the amount
     */
    @EtchTransactional
    public Transfer transfer(String from, String to, long amountCents) {
        Account source = find(from);
        Account target = find(to);
        if (source.balanceCents() < amountCents) {
            throw new InsufficientFundsException(from, source.balanceCents(), amountCents);
        }
        ledger.write(l -> l.accounts().put(from, source.debit(amountCents)));
        ledger.write(l -> l.accounts().put(to, target.credit(amountCents)));
        return ledger.writeAndGet(l -> {
            long id = l.transfers().isEmpty() ? 1 : l.transfers().lastKey() + 1;
            Transfer transfer = new Transfer(id, from, to, amountCents, clock.instant());
            l.transfers().put(id, transfer);
            l.transfersByAccount().put(new AccountTransfer(from, id), id);
            l.transfersByAccount().put(new AccountTransfer(to, id), id);
            return transfer;
        });
    }

    /**
     * @param id an account id
     * @return the account as last committed
     * @throws AccountNotFoundException if there is no such account
     */
    public Account find(String id) {
        Account account = ledger.read().accounts().get(id);
        if (account == null) {
            throw new AccountNotFoundException(id);
        }
        return account;
    }

    /**
     * @return every account, by id
     */
    public List<Account> accounts() {
        return ledger.read().accounts().values().stream().sorted(Comparator.comparing(Account::id)).toList();
    }

    /**
     * One page of an account's transfers, sent or received, newest first. Reads one consistent snapshot, so the
     * page and its total agree even while transfers go on.
     *
     * @param accountId the account
     * @param page the page number, from 0
     * @param size transfers per page, positive
     * @return the page
     * @throws AccountNotFoundException if there is no such account
     */
    public TransferPage transfers(String accountId, int page, int size) {
        Ledger now = ledger.read();
        if (!now.accounts().containsKey(accountId)) {
            throw new AccountNotFoundException(accountId);
        }
        NavigableMap<AccountTransfer, Long> mine = now.transfersByAccount().subMap(
                new AccountTransfer(accountId, Long.MIN_VALUE), true,
                new AccountTransfer(accountId, Long.MAX_VALUE), true);
        List<Transfer> transfers = mine.descendingMap().values().stream()
                .skip((long) page * size)
                .limit(size)
                .map(id -> now.transfers().get(id))
                .toList();
        return new TransferPage(accountId, page, size, mine.size(), transfers);
    }

    /**
     * A page of one account's transfers.
     *
     * @param account the account
     * @param page the page number, from 0
     * @param size the requested page size
     * @param total how many transfers the account has in all
     * @param transfers this page's transfers, newest first
     */
    public record TransferPage(String account, int page, int size, long total, List<Transfer> transfers) {}
}
