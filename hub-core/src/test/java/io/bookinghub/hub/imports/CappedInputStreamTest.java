package io.bookinghub.hub.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CappedInputStreamTest {
    @Test
    void aStreamExactlyAtTheCapReadsToTheEnd() throws IOException {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[100]), 100);
        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(in.exceeded()).isFalse();
        assertThat(in.bytesRead()).isEqualTo(100);
    }

    @Test
    void bytesUpToTheCapAreHandedOutBeforeTheFailure() throws IOException {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[150]), 100);
        byte[] buffer = new byte[1000];
        assertThat(in.read(buffer, 0, buffer.length)).isEqualTo(100);
        assertThat(in.available()).isZero();
        assertThat(in.exceeded()).isFalse();
        assertThatThrownBy(() -> in.read(buffer, 0, buffer.length))
                .isInstanceOf(CappedInputStream.TooLargeException.class);
        assertThat(in.exceeded()).isTrue();
    }

    @Test
    void oneByteMoreFailsAndStaysFailed() {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[101]), 100);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(CappedInputStream.TooLargeException.class)
                .hasMessageContaining("100 bytes");
        assertThat(in.exceeded()).isTrue();
        assertThatThrownBy(in::read).isInstanceOf(CappedInputStream.TooLargeException.class);
    }

    @Test
    void singleByteReadsAreCountedToo() throws IOException {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[3]), 2);
        in.read();
        in.read();
        assertThat(in.exceeded()).isFalse();
        assertThatThrownBy(in::read).isInstanceOf(CappedInputStream.TooLargeException.class);
        assertThat(in.exceeded()).isTrue();
    }

    @Test
    void skippingCountsAgainstTheCap() throws IOException {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[10]), 5);
        assertThat(in.skip(5)).isEqualTo(5);
        assertThatThrownBy(() -> in.skip(5)).isInstanceOf(CappedInputStream.TooLargeException.class);
    }
}
