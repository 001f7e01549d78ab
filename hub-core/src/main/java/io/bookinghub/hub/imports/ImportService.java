package io.bookinghub.hub.imports;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.connections.ConnectionRow;
import io.bookinghub.hub.model.RecordStore;
import io.bookinghub.hub.sync.RunKind;
import io.bookinghub.hub.sync.RunLedger;
import io.bookinghub.hub.sync.RunSyncSink;
import io.bookinghub.hub.sync.SyncRun;
import io.bookinghub.hub.sync.SyncRunStatus;
import io.bookinghub.hub.sync.SyncService;
import io.bookinghub.spi.Capability;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.io.InputStream;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports uploaded files through FILE_IMPORT connectors as runs of mode IMPORT in the {@link RunLedger}, on
 * the calling thread: the upload is the stream, so it cannot wait in a queue. An import takes the
 * connection's one RUNNING slot like a sync, counts, logs skipped rows and reports progress like one, and
 * never soft-deletes. Cancel and shutdown stop it between rows.
 */
public final class ImportService {
    private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);

    private final RunLedger ledger;
    private final SyncService.Connectors connectors;
    private final RecordStore records;

    /** @param records the store a dry run classifies its records against, read-only */
    public ImportService(RunLedger ledger, SyncService.Connectors connectors, RecordStore records) {
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.records = requireNonNull(records, "records is null");
    }

    /**
     * Imports a file into the connection.
     *
     * @param kind    what the file holds, passed to the connector as is (it validates it)
     * @param input   the file; read once by the connector
     * @param dryRun  when true nothing is written (enforced here, whatever the connector does)
     * @param trigger who asked, e.g. "upload"
     * @return the finished run (SUCCEEDED, PARTIAL when rows were skipped, or CANCELLED) and its stages
     * @throws ConnectorException the connector's own error (e.g. INVALID_INPUT for an unknown kind or an
     *                            unreadable file) after the run was recorded FAILED with it; CONFLICT when a
     *                            run of the connection is running or the connection is disabled; UNSUPPORTED
     *                            when the connector cannot import files; NOT_FOUND when it is not installed
     */
    /**
     * The kinds the connection's importer accepts (empty: it decides when importing), for refusing any other
     * before a run is recorded.
     */
    public Set<String> kinds(ConnectionRow row) {
        if (!connectors.descriptor(row.connectorId()).supports(Capability.FILE_IMPORT)) {
            throw ConnectorException.unsupported(row.connectorId(), Capability.FILE_IMPORT);
        }
        return connectors.connector(row).fileImport().kinds();
    }

    public ImportResult runImport(ConnectionRow row, String kind, InputStream input, boolean dryRun,
            String trigger) {
        requireNonNull(input, "input is null");
        if (!connectors.descriptor(row.connectorId()).supports(Capability.FILE_IMPORT)) {
            throw ConnectorException.unsupported(row.connectorId(), Capability.FILE_IMPORT);
        }
        RunLedger.Run run = ledger.admit(row, RunKind.IMPORT, trigger);
        LOG.info("Import run {} ({}{}, kind {}) started for connection {} by {}", run.id(), row.connectorId(),
                dryRun ? ", dry run" : "", kind, row.id(), trigger);
        SyncRun result = null;
        try {
            RunSyncSink sink = ledger.sink(run);
            ImportSink importSink = dryRun ? ImportSink.dryRun(sink, records.sink(row.businessId(),
                    row.connectorId()).classifier(ImportSink.REMEMBERED)::classifyAll) : ImportSink.of(sink);
            result = execute(run, row, kind, input, dryRun, sink, importSink);
            return new ImportResult(result, importSink.stages(), importSink.report(), importSink.rowIssues(),
                    importSink.rowIssueCount(), importSink.dryRunCounts());
        } finally {
            ledger.release(run, result);
        }
    }

    private SyncRun execute(RunLedger.Run run, ConnectionRow row, String kind, InputStream input,
            boolean dryRun, RunSyncSink sink, ImportSink importSink) {
        if (sink.cancelled()) {
            return ledger.finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled before it started", null);
        }
        try {
            connectors.withConnector(row, connector -> {
                connector.fileImport().importFile(kind, input, dryRun, importSink);
                return null;
            });
            if (dryRun) {
                // The last records since the connector's last progress report.
                importSink.finishDryRun();
            }
        } catch (ConnectorException e) {
            LOG.warn("Import run {} of {} failed: {}", run.id(), run.connectorId(), e.toString());
            ledger.failed(run, sink, e.code().name(), e.getMessage());
            // Field errors stay as they are; otherwise the admin learns which run holds the details.
            throw e instanceof ConfigValidationException ? e
                    : new ConnectorException(e.code(), e.getMessage() + " (import run " + run.id() + ")", e);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            LOG.error("Import run {} of {} failed", run.id(), run.connectorId(), e);
            ledger.failed(run, sink, ErrorCode.INTERNAL.name(), e.getClass().getName());
            throw new ConnectorException(ErrorCode.INTERNAL, "import run " + run.id() + " failed unexpectedly");
        }
        if (sink.stopWanted()) {
            return ledger.finish(run, sink, SyncRunStatus.CANCELLED, null, "cancelled; rows before it were "
                    + (dryRun ? "checked" : "imported"), false);
        }
        long skipped = sink.counts().skipped();
        StringBuilder message = new StringBuilder();
        if (dryRun) {
            message.append("dry run, nothing written");
            importSink.stages().values().forEach(p -> message.append("; ").append(p.stage()).append(' ')
                    .append(p.done()).append(p.total() >= 0 ? " of " + p.total() : ""));
            importSink.dryRunCounts().forEach((recordKind, c) -> message.append("; ").append(recordKind)
                    .append(" would create ").append(c.wouldCreate()).append(", update ").append(c.wouldUpdate())
                    .append(", leave unchanged ").append(c.unchanged()));
        }
        if (skipped > 0) {
            message.append(message.isEmpty() ? "" : "; ").append(skipped)
                    .append(" row(s) skipped, see the run's log");
        }
        return ledger.finish(run, sink, skipped > 0 ? SyncRunStatus.PARTIAL : SyncRunStatus.SUCCEEDED, null,
                message.isEmpty() ? null : message.toString(), true);
    }
}
