package dev.etch.sample;

import dev.etch.sample.LedgerService.TransferPage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ledger's JSON API. Request bodies are validated before anything is read from the store; errors are RFC 9457
 * problem details (see {@link LedgerProblems}).
 */
@RestController
public class LedgerController {

    /** The largest amount one deposit or transfer may move: a billion in cents, far from overflowing a balance. */
    static final long MAX_AMOUNT_CENTS = 100_000_000_000L;

    private final LedgerService ledger;

    /**
     * @param ledger the service doing the work
     */
    public LedgerController(LedgerService ledger) {
        this.ledger = ledger;
    }

    /**
     * {@code POST /accounts}: opens an account.
     *
     * @param request the new account
     * @return 201 with the account and its location
     */
    @PostMapping("/accounts")
    public ResponseEntity<Account> open(@Valid @RequestBody NewAccount request) {
        Account account = ledger.open(request.id(), request.owner());
        return ResponseEntity.created(URI.create("/accounts/" + account.id())).body(account);
    }

    /**
     * {@code GET /accounts}.
     *
     * @return every account, by id
     */
    @GetMapping("/accounts")
    public List<Account> accounts() {
        return ledger.accounts();
    }

    /**
     * {@code GET /accounts/{id}}.
     *
     * @param id the account's id
     * @return the account
     */
    @GetMapping("/accounts/{id}")
    public Account account(@PathVariable String id) {
        return ledger.find(id);
    }

    /**
     * {@code POST /accounts/{id}/deposits}: adds money to an account.
     *
     * @param id the account's id
     * @param request the amount
     * @return the account after the deposit
     */
    @PostMapping("/accounts/{id}/deposits")
    public Account deposit(@PathVariable String id, @Valid @RequestBody NewDeposit request) {
        return ledger.deposit(id, request.amountCents());
    }

    /**
     * {@code GET /accounts/{id}/transfers?page=&size=}: the account's transfers, newest first.
     *
     * @param id the account's id
     * @param page the page number, from 0
     * @param size transfers per page, 1 to 100
     * @return the page
     */
    @GetMapping("/accounts/{id}/transfers")
    public TransferPage transfers(@PathVariable String id,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return ledger.transfers(id, page, size);
    }

    /**
     * {@code POST /transfers}: moves money between two accounts in one commit.
     *
     * @param request the transfer
     * @return 201 with the committed transfer
     */
    @PostMapping("/transfers")
    @ResponseStatus(HttpStatus.CREATED)
    public Transfer transfer(@Valid @RequestBody NewTransfer request) {
        if (request.from().equals(request.to())) {
            throw new InvalidFieldException("to", "must differ from 'from'");
        }
        return ledger.transfer(request.from(), request.to(), request.amountCents());
    }

    /**
     * The body of {@code POST /accounts}.
     *
     * @param id the account's id: letters, digits, '-' and '_', up to 64
     * @param owner the owner's name, up to 200 characters of text: no control characters, and
     *     no lone surrogate (valid in a JSON string, but not text, so no codec can store it)
     */
    public record NewAccount(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 letters, digits, '-' or '_'")
            String id,
            @NotBlank @Size(max = 200)
            @Pattern(regexp = "[^\\p{Cc}\\p{Cs}]*", message = "must be text without control characters")
            String owner) {}

    /**
     * The body of {@code POST /accounts/{id}/deposits}.
     *
     * @param amountCents the amount in cents, positive
     */
    public record NewDeposit(@NotNull @Positive @Max(MAX_AMOUNT_CENTS) Long amountCents) {}

    /**
     * The body of {@code POST /transfers}.
     *
     * @param from the account debited
     * @param to the account credited
     * @param amountCents the amount in cents, positive
     */
    public record NewTransfer(
            @NotBlank String from,
            @NotBlank String to,
            @NotNull @Positive @Max(MAX_AMOUNT_CENTS) Long amountCents) {}
}
