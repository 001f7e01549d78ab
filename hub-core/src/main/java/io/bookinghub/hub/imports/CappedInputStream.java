package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upload stream that fails once more than {@code maxBytes} were read. Connectors wrap read errors in
 * their own exceptions, so the hub asks {@link #exceeded()} afterwards instead of relying on the
 * exception reaching it.
 */
public final class CappedInputStream extends FilterInputStream {
    /** Thrown by reads past the cap. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long maxBytes) {
            super("the upload is larger than " + maxBytes + " bytes");
        }
    }

    private final long maxBytes;
    private long read;
    private volatile boolean exceeded;

    public CappedInputStream(InputStream in, long maxBytes) {
        super(requireNonNull(in, "in is null"));
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1");
        }
        this.maxBytes = maxBytes;
    }

    /** Whether a read went past the cap. */
    public boolean exceeded() {
        return exceeded;
    }

    public long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        check();
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        // Asking for one byte more than allowed is how a stream exactly at the cap is told from a longer one.
        int n = super.read(b, off, (int) Math.min(len, maxBytes - read + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        check();
        long skipped = super.skip(Math.min(n, maxBytes - read + 1));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: a reset would let bytes be counted twice.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void count(long n) throws TooLargeException {
        read += n;
        if (read > maxBytes) {
            exceeded = true;
            throw new TooLargeException(maxBytes);
        }
    }

    private void check() throws TooLargeException {
        if (exceeded) {
            throw new TooLargeException(maxBytes);
        }
    }
}
