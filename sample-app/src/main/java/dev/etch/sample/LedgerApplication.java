package dev.etch.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the ledger service; its store is configured under {@code etch.stores.ledger} in application.yml. */
@SpringBootApplication
public class LedgerApplication {

    /**
     * Starts the service.
     *
     * @param args Spring Boot command-line arguments, e.g. {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, args);
    }
}
