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
        if (read == maxBytes) {
            return endAtCap();
        }
        int b = super.read();
        if (b >= 0) {
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        if (len == 0) {
            return 0;
        }
        long allowed = maxBytes - read;
        if (allowed == 0) {
            return endAtCap();
        }
        // Everything up to the cap is handed out, so the rows before it can still be read.
        int n = super.read(b, off, (int) Math.min(len, allowed));
        if (n > 0) {
            read += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        check();
        if (n <= 0) {
            return 0;
        }
        long allowed = maxBytes - read;
        if (allowed == 0) {
            endAtCap();
            return 0;
        }
        long skipped = super.skip(Math.min(n, allowed));
        read += skipped;
        return skipped;
    }

    // Readers that read ahead while bytes are "available" must stop at the cap and deliver what they have.
    @Override
    public int available() throws IOException {
        return (int) Math.min(super.available(), maxBytes - read);
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

    /** At the cap the stream may only end; one more byte means the upload is too large. */
    private int endAtCap() throws IOException {
        if (super.read() < 0) {
            return -1;
        }
        exceeded = true;
        throw new TooLargeException(maxBytes);
    }

    private void check() throws TooLargeException {
        if (exceeded) {
            throw new TooLargeException(maxBytes);
        }
    }
}
