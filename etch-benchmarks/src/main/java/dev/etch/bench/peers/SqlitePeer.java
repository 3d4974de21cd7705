package dev.etch.bench.peers;

import dev.etch.bench.Book;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite through sqlite-jdbc: WAL journal mode, {@code synchronous=FULL} or {@code NORMAL}, a
 * {@code WITHOUT ROWID} table with the key as primary key and one column per {@link Book} field.
 * One writer connection (SQLite allows one writer at a time; writers queue on a Java lock rather
 * than on SQLite's busy-retry sleep), one read connection per reading thread (WAL readers do
 * not block the writer). 256 MB page cache and 256 MB mmap so the 1M-record table fits in memory.
 */
final class SqlitePeer implements PeerStore {

    private final String url;
    private final String synchronous;
    private final Connection writer;
    private final PreparedStatement upsert;
    private final List<Connection> readers = new ArrayList<>();
    private final ThreadLocal<PreparedStatement> select;

    SqlitePeer(Path dir, String synchronous) {
        this.url = "jdbc:sqlite:" + dir.resolve("books.sqlite");
        this.synchronous = synchronous;
        try {
            writer = connect();
            try (Statement st = writer.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS books (k TEXT PRIMARY KEY, title TEXT NOT NULL, "
                        + "author TEXT NOT NULL, year INTEGER NOT NULL, isbn INTEGER NOT NULL, "
                        + "available INTEGER NOT NULL) WITHOUT ROWID");
            }
            upsert = writer.prepareStatement("INSERT OR REPLACE INTO books VALUES (?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        select = ThreadLocal.withInitial(() -> {
            try {
                Connection c = connect();
                synchronized (readers) {
                    readers.add(c);
                }
                return c.prepareStatement("SELECT title, author, year, isbn, available FROM books WHERE k = ?");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=" + synchronous);
            st.execute("PRAGMA cache_size=-262144");
            st.execute("PRAGMA mmap_size=268435456");
        }
        return c;
    }

    @Override
    public Book get(String key) {
        PreparedStatement ps = select.get();
        try {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Book(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getInt(5) != 0);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void bind(String key, Book b) throws SQLException {
        upsert.setString(1, key);
        upsert.setString(2, b.title());
        upsert.setString(3, b.author());
        upsert.setInt(4, b.year());
        upsert.setLong(5, b.isbn());
        upsert.setInt(6, b.available() ? 1 : 0);
    }

    @Override
    public synchronized void put(String key, Book value) {
        try {
            bind(key, value); // auto-commit: one statement, one transaction
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void putBatch(String[] keys, Book[] values, int from, int count) {
        int mask = values.length - 1;
        try {
            writer.setAutoCommit(false);
            for (int i = from; i < from + count; i++) {
                bind(keys[i], values[i & mask]);
                upsert.executeUpdate();
            }
            writer.commit();
            writer.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            synchronized (readers) {
                for (Connection c : readers) {
                    c.close();
                }
            }
            upsert.close();
            writer.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
