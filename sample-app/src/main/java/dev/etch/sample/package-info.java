/**
 * A ledger web service on Etch: accounts, deposits and transfers kept in one {@link dev.etch.sample.Ledger}
 * store, changed through {@link dev.etch.spring.EtchTransactional} methods of {@link dev.etch.sample.LedgerService}
 * and served as JSON by {@link dev.etch.sample.LedgerController}.
 */
package dev.etch.sample;
